// Server reflection over every service the server offers, so that a
// standard gRPC client (buf curl) needs no .proto files. The health service
// is served by gRPC itself without protobuf descriptors; this unit links
// the descriptors of proto/grpc/health/v1/health.proto into the server so
// reflection can describe it too.
#ifndef COMMENTS_SERVICE_STARTUP_REFLECTION_H_
#define COMMENTS_SERVICE_STARTUP_REFLECTION_H_

namespace comments::startup {

// Call before building the server.
void EnableReflection();

}  // namespace comments::startup

#endif  // COMMENTS_SERVICE_STARTUP_REFLECTION_H_
