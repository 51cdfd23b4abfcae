/**
 * The OTLP/HTTP metrics receiver ({@code POST /api/v1/otlp/v1/metrics}), framework-neutral: {@link
 * dev.nines.ingest.otlp.OtlpHandler} decodes an {@code ExportMetricsServiceRequest} (protobuf or
 * JSON, optionally gzip-compressed), translates it to Prometheus series the way Prometheus's own
 * OTLP receiver does ({@link dev.nines.ingest.otlp.OtlpTranslator}, names by {@link
 * dev.nines.ingest.otlp.PrometheusNames}) and writes through the storage seam. The translation
 * rules are listed in {@code docs/formats/remote-write.md}. Everything in this package is non-null
 * unless marked {@code @Nullable}.
 */
@NullMarked
package dev.nines.ingest.otlp;

import org.jspecify.annotations.NullMarked;
