package dev.stretch.runtime;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A process's place among the pods of its job, as {@code GET /v1/status} reports it (contract C1).
 *
 * @param name the pod name ({@code local} for {@code stretch run})
 * @param ordinal the pod's ordinal, from its StatefulSet name or {@code --pod-ordinal}
 * @param count the job's pod count as this pod last read it
 */
@JsonPropertyOrder({"name", "ordinal", "count"})
public record PodIdentity(String name, int ordinal, int count) {
}
