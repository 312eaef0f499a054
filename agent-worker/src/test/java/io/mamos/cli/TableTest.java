package io.mamos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsArePaddedToTheirWidestCell() {
        String table = new Table("HOST", "STATE").row("web-1", "SUCCEEDED").row("a", null).render();

        assertThat(table).isEqualTo("HOST   STATE\nweb-1  SUCCEEDED\na      -\n");
    }

    @Test
    void controlCharactersFromTheServerCannotMoveTheCursor() {
        assertThat(Table.cell("evil\u001b[2Jname\n")).isEqualTo("evil?[2Jname?");
    }

    @Test
    void longCellsAreCut() {
        assertThat(Table.cell("x".repeat(100))).hasSize(60).endsWith("…");
    }
}
