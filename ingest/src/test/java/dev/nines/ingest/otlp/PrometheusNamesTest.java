package dev.nines.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nines.ingest.otlp.PrometheusNames.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusNamesTest {
  @ParameterizedTest(name = "{0} [{1}] {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      emptyValue = "",
      value = {
        // name                       | unit       | kind                  | expected
        "http.server.duration         | s          | HISTOGRAM             | http_server_duration_seconds",
        "http.server.request.duration | ms         | HISTOGRAM             | http_server_request_duration_milliseconds",
        "system.memory.usage          | By         | NON_MONOTONIC_COUNTER | system_memory_usage_bytes",
        "memory.usage                 | By         | GAUGE                 | memory_usage_bytes",
        "requests.count               | 1          | MONOTONIC_COUNTER     | requests_count_total",
        "http.requests                | {request}  | MONOTONIC_COUNTER     | http_requests_total",
        "requests_total               | ''         | MONOTONIC_COUNTER     | requests_total",
        "total.requests               | ''         | MONOTONIC_COUNTER     | requests_total",
        "cpu.utilization              | 1          | GAUGE                 | cpu_utilization_ratio",
        "cpu.ratio.used               | 1          | GAUGE                 | cpu_used_ratio",
        "cpu.utilization              | 1          | NON_MONOTONIC_COUNTER | cpu_utilization",
        "network.io                   | By/s       | GAUGE                 | network_io_bytes_per_second",
        "throughput                   | {req}/s    | GAUGE                 | throughput_per_second",
        "latency_seconds              | s          | HISTOGRAM             | latency_seconds",
        "disk.free                    | GiBy       | GAUGE                 | disk_free_gibibytes",
        "temperature                  | Cel        | GAUGE                 | temperature_celsius",
        "cpu.frequency                | Hz         | GAUGE                 | cpu_frequency_hertz",
        "battery                      | %          | GAUGE                 | battery_percent",
        "uptime                       | d          | MONOTONIC_COUNTER     | uptime_days_total",
        "odd-name__with...dots        | ''         | GAUGE                 | odd_name_with_dots",
        "2xx.responses                | ''         | MONOTONIC_COUNTER     | _2xx_responses_total",
        "ns:metric.name               | ''         | GAUGE                 | ns:metric_name",
        "foo                          | widgets    | GAUGE                 | foo_widgets",
        "rpc.duration                 | s/request  | SUMMARY               | rpc_duration_seconds_per_request",
      })
  void metricNames(String name, String unit, Kind kind, String expected) {
    assertThat(PrometheusNames.metricName(name, unit, kind)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "service.version   | service_version",
        "http.method       | http_method",
        "k8s-pod/name      | k8s_pod_name",
        "0day              | key_0day",
        "_private          | key_private",
        "__reserved        | __reserved",
        "plain             | plain",
        "größe             | gr__e",
      })
  void labelNames(String key, String expected) {
    assertThat(PrometheusNames.labelName(key)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0.005, 0.005",
    "1, 1",
    "2.5, 2.5",
    "1000000, 1000000",
    "0.99, 0.99",
    "1e-9, 0.000000001",
    "Infinity, +Inf",
  })
  void floats(double f, String expected) {
    assertThat(PrometheusNames.formatFloat(f)).isEqualTo(expected);
  }
}
