package dev.stretch.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AutoscalerOptionsTest {

    @Test
    void shouldDescribeEveryOptionUnderPrefixWithUniqueKey() {
        Set<String> keys = new HashSet<>();
        for (ConfigOption<?> o : AutoscalerOptions.all()) {
            assertThat(o.key()).startsWith(AutoscalerOptions.PREFIX);
            assertThat(keys.add(o.key())).as("unique %s", o.key()).isTrue();
            assertThat(o.description()).as("description of %s", o.key()).hasSizeGreaterThan(20);
            assertThat(o.constraint()).isNotBlank();
        }
    }

    @Test
    void shouldParseEveryDefaultFromItsOwnText() {
        for (ConfigOption<?> o : AutoscalerOptions.all()) {
            assertThat((Object) o.parse(o.defaultValueText())).as(o.key()).isEqualTo(o.defaultValue());
        }
    }

    @Test
    void shouldListEveryPublicOptionConstant() throws IllegalAccessException {
        Set<ConfigOption<?>> constants = new HashSet<>();
        for (var f : AutoscalerOptions.class.getFields()) {
            if (f.getType() == ConfigOption.class) {
                constants.add((ConfigOption<?>) f.get(null));
            }
        }

        assertThat(AutoscalerOptions.all()).containsExactlyInAnyOrderElementsOf(constants);
    }

    @Test
    void shouldDocumentEveryOptionInModuleReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"));

        assertThat(readme).as("README.md options table; regenerate with OptionsTable").contains(OptionsTable.markdown());
    }
}
