package io.aluskort.postgres;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the calls running through a client so that closing it can let them finish. A call enters
 * before it borrows a connection and exits after it returns it; once the gate is closed, new calls are
 * refused and the closer waits for the count to reach zero.
 */
final class CallGate {

	private final AtomicInteger running = new AtomicInteger();

	private volatile boolean closed;

	/**
	 * Lets a call in, unless the gate is closed. The increment comes before the check, so that a closer
	 * that sees zero after closing knows no call can still slip in.
	 */
	boolean tryEnter() {
		this.running.incrementAndGet();
		if (this.closed) {
			exit();
			return false;
		}
		return true;
	}

	/** Lets in a call that belongs to one already running (a statement of an open transaction). */
	void enterRegardless() {
		this.running.incrementAndGet();
	}

	void exit() {
		if (this.running.decrementAndGet() == 0 && this.closed) {
			synchronized (this) {
				notifyAll();
			}
		}
	}

	int running() {
		return this.running.get();
	}

	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Refuses new calls, then waits for running ones.
	 * @return true when all calls finished within the timeout
	 */
	boolean closeAndAwait(Duration timeout) throws InterruptedException {
		this.closed = true;
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this) {
			while (this.running.get() > 0) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this, remaining);
			}
		}
		return true;
	}

}
