package io.mamos.agent.config;

import io.mamos.agent.AgentException;
import io.mamos.agent.ExitCodes;

/** The config file is missing, unreadable, invalid or cannot be written. */
public final class ConfigException extends AgentException {

    public ConfigException(String message) {
        super(ExitCodes.CONFIG, message);
    }

    public ConfigException(String message, Throwable cause) {
        super(ExitCodes.CONFIG, message, cause);
    }
}
