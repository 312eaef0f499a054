package io.mamos.orchestrator.job;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Publishes job changes inside the application, for live feeds (WebSocket) and metrics. */
@Component
class JobEvents {

    private final ApplicationEventPublisher publisher;

    JobEvents(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    void changed(String jobId) {
        publisher.publishEvent(new JobChanged(jobId));
    }
}
