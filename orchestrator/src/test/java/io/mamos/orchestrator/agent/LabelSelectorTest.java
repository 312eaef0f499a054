package io.mamos.orchestrator.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.orchestrator.web.InvalidRequestException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

    private static final Map<String, String> PROD_WEB = Map.of("env", "prod", "role", "web");
    private static final Map<String, String> PROD_API = Map.of("env", "prod", "role", "api");
    private static final Map<String, String> DEV_DB_CANARY = Map.of("env", "dev", "role", "db", "canary", "");

    @Test
    void equalityInAllThreeSpellings() {
        assertThat(LabelSelector.parse("env=prod")).accepts(PROD_WEB, PROD_API).rejects(DEV_DB_CANARY);
        assertThat(LabelSelector.parse("env==prod")).accepts(PROD_WEB).rejects(DEV_DB_CANARY);
        assertThat(LabelSelector.parse("env!=prod")).accepts(DEV_DB_CANARY).rejects(PROD_WEB);
    }

    @Test
    void commaMeansEveryRequirementMustHold() {
        assertThat(LabelSelector.parse("env=prod,role=web")).accepts(PROD_WEB).rejects(PROD_API, DEV_DB_CANARY);
    }

    @Test
    void setBasedRequirements() {
        assertThat(LabelSelector.parse("role in (web,api)")).accepts(PROD_WEB, PROD_API).rejects(DEV_DB_CANARY);
        assertThat(LabelSelector.parse("role notin (web, api)")).accepts(DEV_DB_CANARY).rejects(PROD_WEB);
        assertThat(LabelSelector.parse("env=prod, role in ( api )")).accepts(PROD_API).rejects(PROD_WEB);
    }

    @Test
    void missingKeysSatisfyNegativeRequirementsOnly() {
        Map<String, String> unlabelled = Map.of();
        assertThat(LabelSelector.parse("env!=prod")).accepts(unlabelled);
        assertThat(LabelSelector.parse("env notin (prod)")).accepts(unlabelled);
        assertThat(LabelSelector.parse("env in (prod)")).rejects(unlabelled);
    }

    @Test
    void existenceAndAbsence() {
        assertThat(LabelSelector.parse("canary")).accepts(DEV_DB_CANARY).rejects(PROD_WEB);
        assertThat(LabelSelector.parse("!canary")).accepts(PROD_WEB).rejects(DEV_DB_CANARY);
        assertThat(LabelSelector.parse("!canary,env")).accepts(PROD_WEB);
    }

    @Test
    void keysMayContainTheWordsInAndNotin() {
        Map<String, String> labels = Map.of("domain", "x", "pin", "1");
        assertThat(LabelSelector.parse("domain in (x),pin=1")).accepts(labels);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "env=prod,", ",env=prod", "env=prod,,role=web", "role in (web", "role in web)",
            "role in ()", "env=$(id)", "env=prod;rm", "=prod", "role in (web,)", "en v=prod"})
    void malformedSelectorsAreRefusedWithTheReason(String selector) {
        assertThatThrownBy(() -> LabelSelector.parse(selector)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("selector");
    }

    @Test
    void labelsAreValidatedAndSorted() {
        assertThat(Labels.validated(Map.of("role", "web", "env", "prod")).keySet()).containsExactly("env", "role");
        assertThatThrownBy(() -> Labels.validated(Map.of("bad key", "x"))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("bad key");
        assertThatThrownBy(() -> Labels.validated(Map.of("env", "a,b"))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("env");
    }
}
