package io.aluskort.postgres.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on {@code 127.0.0.1} between a client and the server, the network of the fault tests.
 * It forwards both ways until told to {@link #cut()} every connection, {@link #blackhole()} traffic,
 * add {@link #latency(Duration)}, or {@link #heal()}.
 *
 * <p>A blackhole behaves like a network that drops every packet: connections are still accepted, but
 * nothing goes through either way, so the peers wait without an error. As with TCP, which resends what
 * was not acknowledged, the bytes held back are delivered once the network heals: a {@code COMMIT} sent
 * into a blackhole reaches the server after the client gave up on it, as it can in production.
 *
 * <p>Every connection takes two threads, which end when either side closes; {@link #close()} ends
 * everything.
 */
final class FaultProxy implements AutoCloseable {

	private static final int BUFFER_SIZE = 16 * 1024;

	private static final int CONNECT_TIMEOUT_MILLIS = 5000;

	private final String targetHost;

	private final int targetPort;

	private final ServerSocket listener;

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private final Object monitor = new Object();

	private boolean blackholed;

	private long latencyNanos;

	private volatile boolean closed;

	private FaultProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + port());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** A proxy to the server at the given address, forwarding from a free local port. */
	static FaultProxy to(String host, int port) {
		try {
			return new FaultProxy(host, port);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the fault proxy", ex);
		}
	}

	String host() {
		return "127.0.0.1";
	}

	int port() {
		return this.listener.getLocalPort();
	}

	/** Closes every open connection at once, both ends; new connections still go through. */
	void cut() {
		for (Link link : this.links) {
			link.close();
		}
	}

	/** From now on nothing is forwarded, on open connections and on new ones, until {@link #heal()}. */
	void blackhole() {
		synchronized (this.monitor) {
			this.blackholed = true;
		}
	}

	/** Every chunk of data waits this long before it is forwarded, each way. */
	void latency(Duration latency) {
		synchronized (this.monitor) {
			this.latencyNanos = latency.toNanos();
		}
	}

	/** Forwards again, without latency; what a blackhole held back goes through now. */
	void heal() {
		synchronized (this.monitor) {
			this.blackholed = false;
			this.latencyNanos = 0;
			this.monitor.notifyAll();
		}
	}

	/** Client connections currently open through the proxy. */
	int openConnections() {
		return this.links.size();
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		synchronized (this.monitor) {
			this.monitor.notifyAll();
		}
		cut();
	}

	private void acceptLoop() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.listener.accept();
			}
			catch (IOException ex) {
				return;
			}
			Socket server = new Socket();
			try {
				server.connect(new InetSocketAddress(this.targetHost, this.targetPort), CONNECT_TIMEOUT_MILLIS);
			}
			catch (IOException ex) {
				// The server is down: the client sees its connection closed, as after a refused one.
				closeQuietly(client);
				closeQuietly(server);
				continue;
			}
			Link link = new Link(client, server);
			this.links.add(link);
			link.start();
		}
	}

	/** Waits while the network is a blackhole, then for the latency; false once the proxy is closed. */
	private boolean awaitForwarding() throws InterruptedException {
		long latency;
		synchronized (this.monitor) {
			while (this.blackholed && !this.closed) {
				this.monitor.wait();
			}
			latency = this.latencyNanos;
		}
		if (latency > 0) {
			TimeUnit.NANOSECONDS.sleep(latency);
		}
		return !this.closed;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing left to do
		}
	}

	/** One client connection and its connection to the server. */
	private final class Link {

		private final Socket client;

		private final Socket server;

		Link(Socket client, Socket server) {
			this.client = client;
			this.server = server;
		}

		void start() {
			pump(this.client, this.server, "up");
			pump(this.server, this.client, "down");
		}

		private void pump(Socket from, Socket to, String direction) {
			Thread thread = new Thread(() -> {
				byte[] buffer = new byte[BUFFER_SIZE];
				try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
					int read;
					while ((read = in.read(buffer)) >= 0) {
						if (!awaitForwarding()) {
							break;
						}
						out.write(buffer, 0, read);
						out.flush();
					}
				}
				catch (SocketException ex) {
					// one side closed or was cut
				}
				catch (IOException ex) {
					// the same, reported differently
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				finally {
					close();
				}
			}, "fault-proxy-" + direction + "-" + from.getPort());
			thread.setDaemon(true);
			thread.start();
		}

		void close() {
			closeQuietly(this.client);
			closeQuietly(this.server);
			FaultProxy.this.links.remove(this);
		}

	}

}
