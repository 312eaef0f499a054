package io.mamos.agent.execution;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * {@link io.temporal.testing.TestActivityEnvironment} gives every activity call a random workflow
 * run id; this makes every call come from one workflow run, {@code runId}, as all the calls of one
 * real workflow run do, so a ticket can be signed for it.
 */
public final class FixedCallerRun extends WorkerInterceptorBase {

    private final String runId;

    public FixedCallerRun(String runId) {
        this.runId = runId;
    }

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {
            @Override
            public void init(ActivityExecutionContext context) {
                super.init(delegate(ActivityExecutionContext.class, context, "getInfo",
                        delegate(ActivityInfo.class, context.getInfo(), "getRunId", runId)));
            }
        };
    }

    /** {@code target}, except that {@code method} answers {@code answer}. */
    private static <T> T delegate(Class<T> type, T target, String method, Object answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, called, args) -> {
            if (called.getName().equals(method) && called.getParameterCount() == 0) {
                return answer;
            }
            try {
                return called.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
