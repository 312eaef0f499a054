package io.mamos.orchestrator.config;

/**
 * The few SQL expressions the two stores spell differently; every other statement of the
 * repositories is written once, in SQL both SQLite and PostgreSQL run alike.
 */
public enum StoreDialect {
    SQLITE {
        @Override
        public String jsonText(String column, String field) {
            return "json_extract(" + column + ", '$." + field + "')";
        }
    },
    POSTGRESQL {
        @Override
        public String jsonText(String column, String field) {
            return "(CAST(" + column + " AS jsonb) ->> '" + field + "')";
        }
    };

    /**
     * The text of the top-level field {@code field} of the JSON object in {@code column}
     * (both are names from the code, never input).
     */
    public abstract String jsonText(String column, String field);
}
