package dev.stretch.runtime.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The samples of a Prometheus text-format page, for assertions on series and values (promtool checks the
 * format itself). Understands {@code name{label="value",...} number} lines and {@code # TYPE} comments.
 */
final class ExpositionText {
    /** One line of the page. */
    record Sample(String name, Map<String, String> labels, double value) {
        boolean has(String label, String v) {
            return v.equals(labels.get(label));
        }
    }

    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> types = new LinkedHashMap<>();

    ExpositionText(String page) {
        for (String line : page.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                types.put(p[2], p[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(parse(line));
            }
        }
    }

    /** Family name → type, from the {@code # TYPE} lines. */
    Map<String, String> types() {
        return types;
    }

    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).collect(Collectors.toList());
    }

    /** The samples of {@code name} that carry all of the given label pairs. */
    List<Sample> samples(String name, String... labelPairs) {
        return samples(name).stream().filter(s -> {
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!s.has(labelPairs[i], labelPairs[i + 1])) {
                    return false;
                }
            }
            return true;
        }).collect(Collectors.toList());
    }

    /** The value of the only sample of {@code name} with these labels, if there is one. */
    Optional<Double> value(String name, String... labelPairs) {
        List<Sample> l = samples(name, labelPairs);
        if (l.size() > 1) {
            throw new AssertionError("more than one sample of " + name + " with " + List.of(labelPairs) + ": " + l);
        }
        return l.stream().findFirst().map(Sample::value);
    }

    private static Sample parse(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int pos;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            pos = brace + 1;
            while (line.charAt(pos) != '}') {
                int eq = line.indexOf('=', pos);
                String label = line.substring(pos, eq);
                StringBuilder v = new StringBuilder();
                int i = eq + 2; // past ="
                for (; line.charAt(i) != '"'; i++) {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        char n = line.charAt(++i);
                        v.append(n == 'n' ? '\n' : n);
                    } else {
                        v.append(c);
                    }
                }
                labels.put(label, v.toString());
                pos = i + 1;
                if (line.charAt(pos) == ',') {
                    pos++;
                }
            }
            pos++;
        } else {
            name = line.substring(0, space);
            pos = space;
        }
        String[] rest = line.substring(pos).trim().split(" ");
        return new Sample(name, labels, parseValue(rest[0]));
    }

    private static double parseValue(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }
}
