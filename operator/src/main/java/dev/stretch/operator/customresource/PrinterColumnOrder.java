package dev.stretch.operator.customresource;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.Comparator;
import java.util.List;

/**
 * Puts the printer columns of {@code kubectl get streamjobs} in reading order. The Fabric8 CRD generator
 * sorts them by JSON path and has no order attribute. Runs at build time, wired by
 * {@code quarkus.operator-sdk.crd.post-processor}.
 */
public class PrinterColumnOrder implements CRDPostProcessor {
    static final List<String> ORDER = List.of("Phase", "Pods", "Threads", "Input-Rate", "Lag-Ms", "Age");

    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
        if (crd instanceof CustomResourceDefinition v1 && StreamJob.CRD_NAME.equals(crd.getMetadata().getName())) {
            v1.getSpec().getVersions().forEach(v -> {
                if (v.getAdditionalPrinterColumns() != null) {
                    v.getAdditionalPrinterColumns().sort(Comparator.comparingInt(PrinterColumnOrder::rank));
                }
            });
        }
        return crd;
    }

    private static int rank(CustomResourceColumnDefinition column) {
        int i = ORDER.indexOf(column.getName());
        return i < 0 ? ORDER.size() : i;
    }
}
