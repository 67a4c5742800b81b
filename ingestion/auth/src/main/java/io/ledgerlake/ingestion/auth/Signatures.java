package io.ledgerlake.ingestion.auth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/** EIP-191 {@code personal_sign} signatures, as wallets produce for SIWE messages. */
public final class Signatures {
  private Signatures() {}

  /** @return 0x-prefixed 65-byte r || s || v hex, v in {27, 28} */
  public static String personalSign(String message, ECKeyPair key) {
    Sign.SignatureData sig = Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), key);
    byte[] out = new byte[65];
    System.arraycopy(sig.getR(), 0, out, 0, 32);
    System.arraycopy(sig.getS(), 0, out, 32, 32);
    out[64] = sig.getV()[0];
    return Numeric.toHexString(out);
  }

  /**
   * @return the lower-case 0x address whose key produced {@code signatureHex} over {@code message}
   * @throws AuthenticationException SIWE_BAD_SIGNATURE if the signature is malformed or recovers no key
   */
  public static String recoverSigner(String message, String signatureHex) {
    byte[] sig;
    try {
      sig = Numeric.hexStringToByteArray(signatureHex);
    } catch (RuntimeException e) {
      throw badSignature("it is not hex");
    }
    if (sig.length != 65) {
      throw badSignature("it has " + sig.length + " bytes instead of 65 (r, s, v)");
    }
    byte v = sig[64];
    if (v < 27) {
      v += 27; // some signers use recovery id 0/1
    }
    if (v != 27 && v != 28) {
      throw badSignature("its recovery byte v is " + sig[64]);
    }
    Sign.SignatureData data = new Sign.SignatureData(v, Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64));
    try {
      BigInteger publicKey = Sign.signedPrefixedMessageToKey(message.getBytes(StandardCharsets.UTF_8), data);
      return "0x" + Keys.getAddress(publicKey);
    } catch (SignatureException | RuntimeException e) {
      throw badSignature("no public key can be recovered from it");
    }
  }

  private static AuthenticationException badSignature(String why) {
    return new AuthenticationException("SIWE_BAD_SIGNATURE",
        "Signature is invalid: " + why + "; sign the challenge message with personal_sign (EIP-191)");
  }
}
