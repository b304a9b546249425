package io.aluskort.postgres;

import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ChannelsTest {

	@Test
	void channelsAreIdentifiersOfAtMost63Bytes() {
		assertThat(Channels.require("alerts")).isEqualTo("alerts");
		// Both sides, listen and sendNotification, check channels with this one rule.
		assertThatIllegalArgumentException().isThrownBy(() -> Channels.require("a-b"))
			.withMessageContaining("is not an identifier");
		assertThat(Channels.require("_Investigation$2")).isEqualTo("_Investigation$2");
		assertThat(Channels.require("ünïcødé")).isEqualTo("ünïcødé");
		assertThat(Channels.require("x".repeat(63))).hasSize(63);
		assertThatIllegalArgumentException().isThrownBy(() -> Channels.require("x".repeat(64)))
			.withMessageContaining("is 64 bytes long");
		assertThatIllegalArgumentException().isThrownBy(() -> Channels.require("é".repeat(32)))
			.withMessageContaining("is 64 bytes long");
		assertThatIllegalArgumentException().isThrownBy(() -> Channels.require("a\"; DROP TABLE t"))
			.withMessage("Channel 'a\"; DROP TABLE t' is not an identifier: a letter or _, then letters, digits, _ or $");
		for (String invalid : new String[] { "", " alerts", "2fa", "$x", "a-b", "a.b", "a b", "a\0" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> Channels.require(invalid))
				.withMessageContaining("'" + invalid + "'");
		}
	}

	@Test
	void changesUnlistenWhatIsNoLongerWantedAndListenOnWhatIsNew() {
		assertThat(Channels.changes(Set.of("Alerts"), Set.of())).isEqualTo("LISTEN \"Alerts\";");
		assertThat(Channels.changes(Set.of(), Set.of("select"))).isEqualTo("UNLISTEN \"select\";");
		assertThat(Channels.changes(Set.of("kept", "new"), Set.of("kept", "old")))
			.isEqualTo("UNLISTEN \"old\";LISTEN \"new\";");
		assertThat(Channels.changes(Set.of("same"), Set.of("same"))).isEmpty();
	}

}
