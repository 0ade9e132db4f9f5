package dev.stretch.autoscaler;

/** An autoscaling option has a value that cannot be used. The message starts with the option's key. */
public final class InvalidConfigException extends IllegalArgumentException {

    private final String key;

    InvalidConfigException(String key, String reason) {
        super(key + ": " + reason);
        this.key = key;
    }

    /** The key of the offending option, e.g. {@code autoscaling.targetUtilization}. */
    public String key() {
        return key;
    }
}
