package io.mamos.orchestrator.auth;

import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.config.Secrets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Opaque refresh tokens, stored as SHA-256 hashes, in families: a login starts one, each refresh
 * spends the presented token and issues the next (rotation), and presenting a spent token again
 * revokes the whole family, since one of the two presenters holds a stolen copy. A family lives
 * {@code mamos.auth.refresh-token-ttl} from its login.
 */
@Component
public class RefreshTokens {

    static final String PREFIX = "mamos_rt_";

    private static final Logger log = LoggerFactory.getLogger(RefreshTokens.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final MamosProperties properties;

    RefreshTokens(JdbcTemplate jdbc, TransactionTemplate transaction, MamosProperties properties) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.properties = properties;
    }

    /** Starts a new family (a login); drops rows of families that have expired meanwhile. */
    Issued start(String username) {
        Instant now = now();
        jdbc.update("DELETE FROM refresh_tokens WHERE expires_at < ?", now.toEpochMilli());
        return insert(UUID.randomUUID().toString(), username, now, now.plus(properties.auth().refreshTokenTtl()));
    }

    /**
     * Spends {@code presented} and returns the next token of its family.
     *
     * @throws InvalidRefreshTokenException when it is unknown, expired, revoked or already spent
     *                                      (the last also revokes its family)
     */
    Issued rotate(String presented) {
        String hash = Secrets.sha256(presented);
        Instant now = now();
        // The claiming UPDATE comes first: a SQLite transaction that reads before it writes cannot
        // wait for a concurrent writer (SQLITE_BUSY_SNAPSHOT); one that writes first queues for the lock.
        Issued next = transaction.execute(status -> {
            int claimed = jdbc.update("""
                    UPDATE refresh_tokens SET used_at = ?
                    WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?
                    """, now.toEpochMilli(), hash, now.toEpochMilli());
            if (claimed != 1) {
                return null;
            }
            Stored token = find(hash).get(0);
            return insert(token.familyId(), token.username(), now, token.expiresAt());
        });
        if (next != null) {
            return next;
        }
        throw refusal(hash, now);
    }

    private InvalidRefreshTokenException refusal(String hash, Instant now) {
        List<Stored> found = find(hash);
        if (found.isEmpty()) {
            return new InvalidRefreshTokenException("the refresh token is unknown", null);
        }
        Stored token = found.get(0);
        if (token.revoked()) {
            return new InvalidRefreshTokenException("the refresh token was revoked; log in again", token);
        }
        if (token.used()) {
            revokeFamily(token.familyId());
            log.warn("refresh token of user {} presented a second time: session {} revoked", token.username(),
                    token.familyId());
            return new InvalidRefreshTokenException("the refresh token was already used, so a copy of it may be in "
                    + "other hands; its whole session is now revoked: log in again", token).reused();
        }
        return new InvalidRefreshTokenException("the refresh token expired at " + token.expiresAt() + "; log in again",
                token);
    }

    /** Revokes every token of a family (logout, reuse). */
    int revokeFamily(String familyId) {
        return jdbc.update("UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                now().toEpochMilli(), familyId);
    }

    /** Revokes every token of a user (deleted, or their role changed). */
    int revokeAllOf(String username) {
        return jdbc.update("UPDATE refresh_tokens SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
                now().toEpochMilli(), username);
    }

    private Issued insert(String familyId, String username, Instant now, Instant expiresAt) {
        String secret = Secrets.generate(PREFIX);
        jdbc.update("""
                INSERT INTO refresh_tokens (token_hash, family_id, username, issued_at, expires_at)
                VALUES (?, ?, ?, ?, ?)
                """, Secrets.sha256(secret), familyId, username, now.toEpochMilli(), expiresAt.toEpochMilli());
        return new Issued(secret, familyId, username, expiresAt);
    }

    private List<Stored> find(String hash) {
        return jdbc.query("""
                SELECT family_id, username, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = ?
                """, (rs, row) -> new Stored(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                rs.getObject(4) != null, rs.getObject(5) != null), hash);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A new refresh token; {@code token} is the only copy of the secret. */
    record Issued(String token, String familyId, String username, Instant expiresAt) {
    }

    record Stored(String familyId, String username, Instant expiresAt, boolean used, boolean revoked) {
    }
}
