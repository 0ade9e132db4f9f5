package dev.stretch.engine.exec;

/**
 * Push-based element sink inside a task: the head of a chain of stateless operators, or an edge into
 * another stage's gate. {@code lane} is the producer's lane (source split or key group), carried along
 * the chain unchanged.
 */
interface Output {
    void emit(long ts, int lane, Object value);
}
