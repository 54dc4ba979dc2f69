// The site's client of comments.v1.CommentService: @grpc/grpc-js on the
// project's own .proto files. Every call has a deadline; gRPC retries
// UNAVAILABLE by itself (CreateComment too: the form's request_id makes a
// retry return the first attempt's comment instead of a second one).

import grpc from "@grpc/grpc-js";
import protoLoader from "@grpc/proto-loader";
import { loadErrorDetailTypes, readErrorDetails } from "./error-details.js";

// The largest page the service serves (ListComments' maximum).
const PAGE_SIZE = 100;

const SERVICE_CONFIG = JSON.stringify({
  methodConfig: [
    {
      name: [{ service: "comments.v1.CommentService" }],
      retryPolicy: {
        maxAttempts: 3,
        initialBackoff: "0.1s",
        maxBackoff: "1s",
        backoffMultiplier: 2,
        retryableStatusCodes: ["UNAVAILABLE"],
      },
    },
  ],
});

// A failed call: the gRPC code and the service's details, already decoded.
export class CommentServiceError extends Error {
  constructor(details) {
    super(details.message);
    this.name = "CommentServiceError";
    this.details = details;
  }
}

// The metadata that names the reader to the service, which believes it only
// from peers in its rules file's client_ip.trusted_proxies.
function readerMetadata(reader) {
  const metadata = new grpc.Metadata();
  if (reader?.ip) metadata.set("x-forwarded-for", reader.ip);
  if (reader?.userAgent) metadata.set("x-reader-user-agent", reader.userAgent);
  return metadata;
}

export function createCommentsClient({ address, protoDir, callTimeoutMs }) {
  const definition = protoLoader.loadSync("comments/v1/comments.proto", {
    includeDirs: [protoDir],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
  });
  const { CommentService } = grpc.loadPackageDefinition(definition).comments.v1;
  const stub = new CommentService(address, grpc.credentials.createInsecure(), {
    "grpc.service_config": SERVICE_CONFIG,
    "grpc.keepalive_time_ms": 60000,
  });
  const detailTypes = loadErrorDetailTypes(protoDir);

  const call = (method, request, reader) =>
    new Promise((resolve, reject) => {
      const deadline = new Date(Date.now() + callTimeoutMs);
      stub[method](request, readerMetadata(reader), { deadline }, (error, response) => {
        if (error) reject(new CommentServiceError(readErrorDetails(detailTypes, error)));
        else resolve(response);
      });
    });

  return {
    createComment: (request, reader) => call("CreateComment", request, reader),

    // The approved comments of a thread, oldest first, at most `limit`.
    async listComments(parent, limit) {
      const comments = [];
      let pageToken = "";
      do {
        const page = await call("ListComments", {
          parent,
          page_size: Math.min(PAGE_SIZE, limit - comments.length),
          page_token: pageToken,
        });
        comments.push(...page.comments);
        pageToken = page.next_page_token;
      } while (pageToken !== "" && comments.length < limit);
      return comments;
    },

    // Approved counts by thread name, for many threads in one call.
    async countComments(parents) {
      const response = await call("CountComments", { parents });
      return new Map(response.counts.map((count) => [count.parent, Number(count.approved_count)]));
    },

    close: () => stub.close(),
  };
}
