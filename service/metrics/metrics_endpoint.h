// The /metrics page on its own address (--metrics_listen), served by
// prometheus-cpp's pull exposer: the registry of the service's metrics and
// the process metrics, in Prometheus' text format.
#ifndef COMMENTS_SERVICE_METRICS_METRICS_ENDPOINT_H_
#define COMMENTS_SERVICE_METRICS_METRICS_ENDPOINT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "prometheus/exposer.h"
#include "prometheus/registry.h"
#include "service/metrics/process_metrics.h"

namespace comments::metrics {

class MetricsEndpoint {
 public:
  // Serves `registry` on `address` ("host:port"; port 0 picks a free one).
  // UNAVAILABLE when the address cannot be bound, INVALID_ARGUMENT when it
  // has no port.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& address,
      std::shared_ptr<prometheus::Registry> registry);

  // The host of the address it was given, with the port actually bound.
  const std::string& address() const { return address_; }

 private:
  MetricsEndpoint() = default;

  std::unique_ptr<prometheus::Exposer> exposer_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<ProcessMetrics> process_;
  std::string address_;
};

}  // namespace comments::metrics

#endif  // COMMENTS_SERVICE_METRICS_METRICS_ENDPOINT_H_
