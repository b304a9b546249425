package io.aluskort.postgres;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Placeholder translation on a cache hit, the wrapper's first step on every call, for statements of
 * growing length: the time should barely grow and the allocation ({@code -prof gc}) stay at zero.
 * {@link #parse} is the cost of a miss, for scale.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SqlCacheBenchmark {

	/** Roughly how many characters the statement has. */
	@Param({ "40", "400", "4000" })
	public int length;

	SqlCache cache = new SqlCache(SqlCache.DEFAULT_CAPACITY);

	String sql = "";

	/** The same text in another String instance, as SQL built at run time would be. */
	String equalSql = "";

	Object[] args = {};

	@Setup
	public void setUp() {
		StringBuilder text = new StringBuilder("SELECT id, tenant_id FROM alerts WHERE id = $1");
		int filler = 0;
		while (text.length() < this.length) {
			text.append(" AND tenant_id <> 'tenant-").append(filler++).append("' /* $9 in a comment */");
		}
		this.sql = text.toString();
		this.equalSql = new String(this.sql.toCharArray());
		this.args = new Object[] { 42L };
		this.cache.get(this.sql);
	}

	@Benchmark
	public Object cacheHit() {
		return this.cache.get(this.sql);
	}

	@Benchmark
	public Object cacheHitEqualString() {
		return this.cache.get(this.equalSql);
	}

	@Benchmark
	public Object cacheHitAndArgumentCheck() {
		ParsedSql parsed = this.cache.get(this.sql);
		parsed.checkArgumentCount(this.args);
		return parsed;
	}

	@Benchmark
	public Object parse() {
		return ParsedSql.parse(this.sql);
	}

}
