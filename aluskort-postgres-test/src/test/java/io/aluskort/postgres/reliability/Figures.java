package io.aluskort.postgres.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the reliability scenarios measured, for RELIABILITY.md: logged, and appended to
 * {@code target/reliability-figures.txt} as {@code scenario | figure | value} lines.
 */
final class Figures {

	private static final Logger logger = LoggerFactory.getLogger(Figures.class);

	private static final Path FILE = Path.of("target", "reliability-figures.txt");

	private Figures() {
	}

	static void record(String scenario, String figure, Object value) {
		String text = (value instanceof Duration duration) ? millis(duration) : String.valueOf(value);
		logger.info("{} | {} | {}", scenario, figure, text);
		try {
			Files.createDirectories(FILE.getParent());
			Files.writeString(FILE, scenario + " | " + figure + " | " + text + "\n", StandardCharsets.UTF_8,
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String millis(Duration duration) {
		return String.format(Locale.ROOT, "%d ms", duration.toMillis());
	}

	static Duration since(long startNanos) {
		return Duration.ofNanos(System.nanoTime() - startNanos);
	}

}
