package io.aluskort.postgres;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An executor for tests whose tasks wait for each other: each task gets a daemon thread of its own.
 * The common pool must not run them: on JDK 25 with 2 cores its parallelism is 1, so two tasks that
 * meet at a barrier would wait for each other for ever.
 */
public final class ThreadPerTask implements Executor {

	/** The one instance; it holds no threads between tasks. */
	public static final ThreadPerTask INSTANCE = new ThreadPerTask();

	private final AtomicInteger started = new AtomicInteger();

	private ThreadPerTask() {
	}

	@Override
	public void execute(Runnable task) {
		Thread thread = new Thread(task, "test-task-" + this.started.incrementAndGet());
		thread.setDaemon(true);
		thread.start();
	}

}
