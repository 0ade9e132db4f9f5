package dev.stretch.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/**
 * Reads a Kubernetes quantity the way the CRD admits it ({@code x-kubernetes-int-or-string}): a string
 * ({@code "500m"}, {@code "2Gi"}) or a whole number ({@code cpu: 2}). A number with a fraction ({@code cpu: 0.5})
 * is refused, as the API server refuses it, so a file that runs locally also applies to a cluster.
 */
public final class QuantityDeserializer extends JsonDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return (String) ctxt.handleWeirdNumberValue(String.class, p.getNumberValue(),
                    "a quantity is a whole number or a string");
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
}
