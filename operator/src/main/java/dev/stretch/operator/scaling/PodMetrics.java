package dev.stretch.operator.scaling;

/**
 * One keyed operator in one pod, from one collection: what the autoscaler's job-wide sample is summed from. A rate
 * that could not be measured yet (first scrape of a pod) is NaN.
 *
 * @param pod pod name
 * @param operator operator name
 * @param threads threads of the operator in the pod
 * @param processedRate tuples per second the operator took in
 * @param arrivingRate tuples per second arriving (processed plus the backlog's growth)
 * @param busyRatio fraction of its threads' time spent processing
 * @param backlog tuples waiting in its input
 * @param eventTimeLagMillis how far its watermark trails its input
 */
public record PodMetrics(String pod, String operator, int threads, double processedRate, double arrivingRate,
        double busyRatio, double backlog, double eventTimeLagMillis) {
}
