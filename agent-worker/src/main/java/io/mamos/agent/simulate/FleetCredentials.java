package io.mamos.agent.simulate;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCanceledRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskFailedRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets one connection carry a whole simulated fleet through the agent gateway, each call with the
 * credential of the agent it is for, as real agents (one process each) would send it: a poll with
 * the credential of the agent whose queue it names, a heartbeat or result with that of the agent
 * whose poll received the task token. A call is started only once its request is known.
 */
final class FleetCredentials implements ClientInterceptor {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Map<String, String> credentialByQueue = new ConcurrentHashMap<>();
    private final Map<ByteString, String> credentialByToken = new ConcurrentHashMap<>();
    private volatile String anyCredential;

    void add(String taskQueue, String credential) {
        credentialByQueue.put(taskQueue, credential);
        anyCredential = credential;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            private Listener<R> listener;
            private Metadata headers;
            private int requested;
            private String credential;

            @Override
            public void start(Listener<R> responseListener, Metadata headers) {
                // Deferred until the request names the agent (unary calls send exactly one message).
                this.listener = responseListener;
                this.headers = headers;
            }

            @Override
            public void request(int numMessages) {
                if (listener != null && credential == null) {
                    requested += numMessages;
                } else {
                    super.request(numMessages);
                }
            }

            @Override
            public void sendMessage(Q message) {
                if (credential == null) {
                    credential = credentialFor(message);
                    headers.put(AUTHORIZATION, "Bearer " + credential);
                    String forCredential = credential;
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onMessage(R response) {
                            if (response instanceof PollActivityTaskQueueResponse task && !task.getTaskToken().isEmpty()) {
                                credentialByToken.put(task.getTaskToken(), forCredential);
                            }
                            super.onMessage(response);
                        }
                    }, headers);
                    if (requested > 0) {
                        super.request(requested);
                    }
                }
                forget(message);
                super.sendMessage(message);
            }

            @Override
            public void halfClose() {
                if (credential == null) {
                    sendCredentialless();
                }
                super.halfClose();
            }

            @Override
            public void cancel(String message, Throwable cause) {
                if (credential == null) {
                    sendCredentialless();
                }
                super.cancel(message, cause);
            }

            private void sendCredentialless() {
                credential = "";
                super.start(listener, headers);
                if (requested > 0) {
                    super.request(requested);
                }
            }
        };
    }

    private String credentialFor(Object request) {
        String credential = null;
        if (request instanceof PollActivityTaskQueueRequest poll) {
            credential = credentialByQueue.get(poll.getTaskQueue().getName());
        } else if (request instanceof RecordActivityTaskHeartbeatRequest heartbeat) {
            credential = credentialByToken.get(heartbeat.getTaskToken());
        } else if (request instanceof RespondActivityTaskCompletedRequest completed) {
            credential = credentialByToken.get(completed.getTaskToken());
        } else if (request instanceof RespondActivityTaskFailedRequest failed) {
            credential = credentialByToken.get(failed.getTaskToken());
        } else if (request instanceof RespondActivityTaskCanceledRequest canceled) {
            credential = credentialByToken.get(canceled.getTaskToken());
        }
        return credential != null ? credential : anyCredential;
    }

    /** A result ends its task: its token is not needed any more. */
    private void forget(Object request) {
        if (request instanceof RespondActivityTaskCompletedRequest completed) {
            credentialByToken.remove(completed.getTaskToken());
        } else if (request instanceof RespondActivityTaskFailedRequest failed) {
            credentialByToken.remove(failed.getTaskToken());
        } else if (request instanceof RespondActivityTaskCanceledRequest canceled) {
            credentialByToken.remove(canceled.getTaskToken());
        }
    }
}
