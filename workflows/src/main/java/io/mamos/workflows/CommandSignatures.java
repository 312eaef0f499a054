package io.mamos.workflows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * The one definition of what the orchestrator signs and agents verify: Ed25519 over a canonical,
 * unambiguous encoding of every field of a {@link CommandInvocation} or an {@link AwaitTicket}
 * except its signature.
 * Strings are length-prefixed UTF-8 (a null is length -1), lists are count-prefixed and numbers
 * fixed-width big-endian, after a version tag; so no two different invocations share a payload
 * (no {@code "a b" + "c"} versus {@code "a" + "b c"} ambiguity).
 */
public final class CommandSignatures {

    public static final String ALGORITHM = "Ed25519";

    /** Names the encoding; a future format gets a new tag, so payloads of two formats never collide. */
    private static final String FORMAT = "mamos-command-invocation-v1";

    /** The tag of an await ticket's encoding: no ticket's payload is ever an invocation's, nor the other way round. */
    private static final String TICKET_FORMAT = "mamos-await-ticket-v1";

    private CommandSignatures() {
    }

    /** The bytes that are signed. */
    public static byte[] payload(CommandInvocation invocation) {
        var bytes = new ByteArrayOutputStream(256);
        try (var out = new DataOutputStream(bytes)) {
            string(out, FORMAT);
            string(out, invocation.jobId());
            string(out, invocation.agentId());
            out.writeInt(invocation.attempt());
            CommandSpec command = invocation.command();
            out.writeBoolean(command != null);
            if (command != null) {
                string(out, command.name());
                string(out, command.executable());
                List<String> args = command.args();
                out.writeInt(args.size());
                for (String arg : args) {
                    string(out, arg);
                }
            }
            out.writeLong(invocation.timeoutSeconds());
            out.writeInt(invocation.maxOutputBytes());
            out.writeLong(invocation.issuedAtMillis());
            out.writeLong(invocation.expiresAtMillis());
            string(out, invocation.nonce());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a command invocation", e);
        }
        return bytes.toByteArray();
    }

    /** The bytes of an await ticket that are signed. */
    public static byte[] payload(AwaitTicket ticket) {
        var bytes = new ByteArrayOutputStream(192);
        try (var out = new DataOutputStream(bytes)) {
            string(out, TICKET_FORMAT);
            string(out, ticket.jobId());
            string(out, ticket.agentId());
            out.writeInt(ticket.attempt());
            string(out, ticket.workflowId());
            string(out, ticket.runId());
            out.writeLong(ticket.issuedAtMillis());
            out.writeLong(ticket.expiresAtMillis());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an await ticket", e);
        }
        return bytes.toByteArray();
    }

    /** The base64 signature of {@link #payload(CommandInvocation)}. */
    public static String sign(CommandInvocation invocation, PrivateKey key) {
        return sign(payload(invocation), key);
    }

    /** The base64 signature of {@link #payload(AwaitTicket)}. */
    public static String sign(AwaitTicket ticket, PrivateKey key) {
        return sign(payload(ticket), key);
    }

    /** Whether the invocation carries a valid signature by {@code key}; false for none or a malformed one. */
    public static boolean verify(CommandInvocation invocation, PublicKey key) {
        return verify(payload(invocation), invocation.signature(), key);
    }

    /** Whether the ticket carries a valid signature by {@code key}; false for none or a malformed one. */
    public static boolean verify(AwaitTicket ticket, PublicKey key) {
        return verify(payload(ticket), ticket.signature(), key);
    }

    private static String sign(byte[] payload, PrivateKey key) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(payload);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the orchestrator's key", e);
        }
    }

    private static boolean verify(byte[] payload, String signature, PublicKey key) {
        if (signature == null || signature.isEmpty()) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(payload);
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** Reads a base64 X.509 (SubjectPublicKeyInfo) Ed25519 public key, as enrollment hands it out. */
    public static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a base64 X.509 Ed25519 public key", e);
        }
    }

    /** The base64 X.509 form of a public key. */
    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
