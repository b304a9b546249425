package io.aluskort.postgres.reliability;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test, and the server certificates it issues: EC P-256 keys,
 * valid from an hour ago for a day, as PEM text that PostgreSQL and pgjdbc read.
 */
final class TestCertificates {

	private static final AtomicLong serials = new AtomicLong(System.currentTimeMillis());

	private final X500Name name;

	private final KeyPair keys;

	private final X509Certificate certificate;

	private TestCertificates(String commonName) {
		this.name = new X500Name("CN=" + commonName);
		this.keys = newKeyPair();
		X509v3CertificateBuilder builder = builder(this.name, this.name, this.keys);
		try {
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
		}
		catch (CertIOException ex) {
			throw new IllegalStateException(ex);
		}
		this.certificate = sign(builder, this.keys);
	}

	/** A new certificate authority. */
	static TestCertificates authority(String commonName) {
		return new TestCertificates(commonName);
	}

	/** The authority's certificate, PEM: what a client trusts ({@code sslrootcert}). */
	String certificatePem() {
		return pem("CERTIFICATE", encoded(this.certificate));
	}

	/**
	 * A server certificate signed by this authority, for the given DNS names and IP addresses (an entry
	 * with a digit first and dots is an address).
	 */
	Issued issueServer(String... hosts) {
		KeyPair serverKeys = newKeyPair();
		X509v3CertificateBuilder builder = builder(this.name, new X500Name("CN=" + hosts[0]), serverKeys);
		GeneralName[] names = new GeneralName[hosts.length];
		for (int i = 0; i < hosts.length; i++) {
			boolean address = Character.isDigit(hosts[i].charAt(0)) && hosts[i].indexOf('.') > 0;
			names[i] = new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, hosts[i]);
		}
		try {
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
			builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
			builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
		}
		catch (CertIOException ex) {
			throw new IllegalStateException(ex);
		}
		X509Certificate certificate = sign(builder, this.keys);
		return new Issued(pem("CERTIFICATE", encoded(certificate)),
				pem("PRIVATE KEY", serverKeys.getPrivate().getEncoded()));
	}

	/** A server's certificate and its private key (PKCS#8), PEM. */
	record Issued(String certificatePem, String privateKeyPem) {
	}

	private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
		Instant now = Instant.now();
		return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serials.incrementAndGet()),
				Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject,
				keys.getPublic());
	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
		try {
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("Could not sign a test certificate", ex);
		}
	}

	private static KeyPair newKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] encoded(X509Certificate certificate) {
		try {
			return certificate.getEncoded();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String pem(String type, byte[] der) {
		String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
		return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
	}

}
