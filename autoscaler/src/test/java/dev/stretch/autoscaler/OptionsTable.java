package dev.stretch.autoscaler;

/**
 * Renders {@link AutoscalerOptions} as the Markdown table in the module's README. {@code AutoscalerOptionsTest}
 * fails when the README's copy is stale; print a fresh one with
 * {@code java -cp target/classes:target/test-classes dev.stretch.autoscaler.OptionsTable}.
 */
final class OptionsTable {

    private OptionsTable() {
    }

    public static void main(String[] args) {
        System.out.print(markdown());
    }

    static String markdown() {
        StringBuilder b = new StringBuilder("| Key | Type | Default | Allowed | Description |\n|---|---|---|---|---|\n");
        for (ConfigOption<?> o : AutoscalerOptions.all()) {
            b.append("| `").append(o.key()).append("` | ").append(o.type().getSimpleName()).append(" | `")
                    .append(o.defaultValueText()).append("` | ").append(o.constraint()).append(" | ")
                    .append(o.description()).append(" |\n");
        }
        return b.toString();
    }
}
