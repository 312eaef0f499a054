package io.mamos.orchestrator.auth;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

@Table("users")
public record UserAccount(@Id String username, String passwordHash, Role role, Instant createdAt) {
}
