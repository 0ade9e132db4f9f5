package dev.stretch.model;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/**
 * A user class implementing dev.stretch.api.StreamApplication, with its arguments.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApplicationSpec {
    @JsonPropertyDescription("Fully qualified class name.")
    @Required
    @Pattern("^[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*$")
    private String className;

    @JsonPropertyDescription("Arguments passed to the application.")
    private List<String> args;

    @JsonPropertyDescription("Jar holding the class, for local runs (in a pod, the image's classpath is used).")
    private String jar;

    public String getClassName() {
        return className;
    }

    public void setClassName(String className) {
        this.className = className;
    }

    public List<String> getArgs() {
        return args;
    }

    public void setArgs(List<String> args) {
        this.args = args;
    }

    public String getJar() {
        return jar;
    }

    public void setJar(String jar) {
        this.jar = jar;
    }
}
