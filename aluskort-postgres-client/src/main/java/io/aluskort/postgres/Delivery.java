package io.aluskort.postgres;

import java.util.List;

import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the notifications the server sent to their channels' handlers, one call at a time and in the
 * order they arrived, on the listener thread.
 *
 * <p>A handler that throws is logged, and delivery goes on. A handler unsubscribed meanwhile is skipped,
 * and once the listener stops nothing more is delivered.
 */
final class Delivery {

	/** The listener's own category, where its users look for its log. */
	private static final Logger logger = LoggerFactory.getLogger(NotificationListener.class);

	private final Subscriptions subscriptions;

	Delivery(Subscriptions subscriptions) {
		this.subscriptions = subscriptions;
	}

	void deliver(PGNotification[] received) {
		for (PGNotification each : received) {
			if (this.subscriptions.isStopped()) {
				return;
			}
			List<Subscriptions.Registration> registrations = this.subscriptions.handlers(each.getName());
			if (registrations == null) {
				continue;
			}
			Notification notification = new Notification(each.getName(), each.getParameter(), each.getPID());
			for (Subscriptions.Registration registration : registrations) {
				if (registration.active) {
					try {
						registration.handler.accept(notification);
					}
					catch (Throwable ex) {
						logger.warn("A handler of channel '{}' failed on a notification from backend {}; "
								+ "delivery goes on", notification.channel(), notification.pid(), ex);
					}
				}
			}
		}
	}

}
