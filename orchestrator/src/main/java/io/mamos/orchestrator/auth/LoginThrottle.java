package io.mamos.orchestrator.auth;

import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.web.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows password guessing twice over: per client address (the browser's, see
 * {@code TrustedProxies}) and per user name, so neither many names from one address nor one
 * name from many addresses gets far. The per-name limit is short (a sliding minute) and does not
 * apply from an address that name signed in from before, as OWASP's "device cookie" advice has
 * it: a stranger hammering a name cannot keep its owner out, and the owner signing in from
 * somewhere new waits a minute at most. Refreshes are counted per address only: a refresh token is
 * a random secret, not a name anyone can aim at. In memory, per orchestrator.
 */
class LoginThrottle {

    /** How many addresses a name is remembered to have signed in from, and for how many names. */
    private static final int KNOWN_ADDRESSES_PER_NAME = 10;
    private static final int KNOWN_NAMES = 10_000;
    private static final Duration KNOWN_FOR = Duration.ofDays(30);

    private final RateLimiter perAddress;
    private final RateLimiter perName;
    private final Clock clock;
    private final Map<String, Map<String, Long>> signedInFrom = new LinkedHashMap<>(16, 0.75f, true);

    LoginThrottle(MamosProperties.Auth auth, Clock clock) {
        this.clock = clock;
        this.perAddress = new RateLimiter("failed login attempts from this address", auth.failedLoginsPerMinute(),
                Duration.ofMinutes(1), clock);
        this.perName = new RateLimiter("failed login attempts for this user name from new addresses",
                auth.failedLoginsPerAccountPerMinute(), Duration.ofMinutes(1), clock);
    }

    /** Refuses (429) a login while the address or, unless the address is a known one, the name is limited. */
    void checkLogin(String address, String username) {
        perAddress.check(address);
        if (!signedInBefore(username, address)) {
            perName.check(username);
        }
    }

    /** Counted for names that exist and names that do not alike, so a 429 tells nothing about which. */
    void loginFailed(String address, String username) {
        perAddress.recordFailure(address);
        if (!signedInBefore(username, address)) {
            perName.recordFailure(username);
        }
    }

    void loginSucceeded(String address, String username) {
        long now = clock.millis();
        synchronized (signedInFrom) {
            Map<String, Long> addresses = signedInFrom.computeIfAbsent(username,
                    name -> new LinkedHashMap<>(16, 0.75f, true));
            addresses.put(address, now);
            if (addresses.size() > KNOWN_ADDRESSES_PER_NAME) {
                addresses.remove(addresses.keySet().iterator().next());
            }
            if (signedInFrom.size() > KNOWN_NAMES) {
                signedInFrom.remove(signedInFrom.keySet().iterator().next());
            }
        }
    }

    void checkRefresh(String address) {
        perAddress.check(address);
    }

    void refreshFailed(String address) {
        perAddress.recordFailure(address);
    }

    private boolean signedInBefore(String username, String address) {
        synchronized (signedInFrom) {
            Map<String, Long> addresses = signedInFrom.get(username);
            Long at = addresses == null ? null : addresses.get(address);
            return at != null && clock.millis() - at < KNOWN_FOR.toMillis();
        }
    }
}
