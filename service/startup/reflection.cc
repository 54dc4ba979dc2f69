#include "service/startup/reflection.h"

#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"

namespace comments::startup {

void EnableReflection() {
  // Reflection answers from the generated descriptor pool, which holds a
  // file only once its code is linked in and initialised: naming one of its
  // messages does both.
  grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
}

}  // namespace comments::startup
