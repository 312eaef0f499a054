package io.mamos.workflows;

/**
 * Details of an agent's {@link CommandActivities#COMMAND_UNKNOWN} answer: what the agent's memory
 * covers, so the workflow can tell an agent that restarted since the dispatch from one that never
 * received the command. Durations, not instants, so that the agent's clock does not matter: the
 * workflow measures them back from when the answer reached it.
 *
 * @param incarnation        a random id of the agent process that answered, new at each start
 * @param upForMillis        how long that process had been accepting commands when it answered
 * @param remembersForMillis how far back its record of accepted commands reaches: every command it
 *                           accepted in that time is in its ledger (the rest it dropped, oldest first)
 */
public record CommandUnknownDetails(String incarnation, long upForMillis, long remembersForMillis) {
}
