package io.mamos.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Workflow inputs and activity arguments as Temporal's default data converter reads them: a
 * payload written by newer code (a field this code does not know) or by older code (a field it
 * lacked) still reads, so histories and mixed-version fleets survive a field being added.
 */
class WorkflowPayloadsTest {

    private static final DataConverter CONVERTER = DataConverter.getDefaultInstance();

    @Test
    void payloadWithAFieldAddedByNewerCodeStillReads() {
        RunTarget target = read("{\"agentId\":\"a1\",\"taskQueue\":\"q\",\"addedLater\":{\"x\":1}}", RunTarget.class);

        assertThat(target).isEqualTo(new RunTarget("a1", "q"));
    }

    @Test
    void payloadWrittenBeforeAFieldWasAddedReadsWithTheFieldsDefault() {
        // Written before JobRequest had retry: absent means "no retry".
        JobRequest request = read("{\"jobId\":\"1\",\"targets\":[{\"agentId\":\"a1\",\"taskQueue\":\"q\"}],"
                + "\"command\":{\"name\":\"echo\",\"executable\":\"/bin/echo\",\"args\":[]},\"timeoutSeconds\":30,"
                + "\"agentWaitSeconds\":60,\"heartbeatTimeoutSeconds\":10,\"maxOutputBytes\":1024,"
                + "\"concurrency\":0,\"maxFailures\":0,\"jobTimeoutSeconds\":0}", JobRequest.class);

        assertThat(request.retry()).isEqualTo(RetrySpec.NONE);
        assertThat(request.targets()).containsExactly(new RunTarget("a1", "q"));
    }

    private static <T> T read(String json, Class<T> type) {
        Payload payload = Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFrom("json/plain", StandardCharsets.UTF_8))
                .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8))
                .build();
        return CONVERTER.fromPayload(payload, type, type);
    }
}
