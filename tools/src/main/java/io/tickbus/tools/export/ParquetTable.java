package io.tickbus.tools.export;

import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One Parquet file being written, one row at a time, through parquet-java's writer: the caller's {@link Row}
 * writes the row's values in schema order with {@link #int64}, {@link #string}, {@link #nullValue} and the like,
 * and the table checks that every column got exactly one value. Row groups of {@link #ROW_GROUP_BYTES}, zstd
 * pages, dictionary encoding where it pays (symbols, enum names).
 * <p>
 * Threading: one thread. Allocation: none per row beyond parquet-java's own column buffers; strings are written
 * from {@link Binary} values the caller keeps.
 */
public final class ParquetTable implements AutoCloseable
{
    /** Bytes per row group: large enough for scans (DuckDB, Arrow and Spark read a row group per task). */
    public static final long ROW_GROUP_BYTES = 64L * 1024 * 1024;

    /** Writes one row's values in schema order. */
    @FunctionalInterface
    public interface Row
    {
        /**
         * @param table the table to write the values to.
         */
        void writeTo(ParquetTable table);
    }

    private final Path file;
    private final MessageType schema;
    private final ParquetWriter<Row> writer;
    private RecordConsumer consumer;
    private int field;
    private long rows;

    /**
     * @param file the file to write (replaced when it exists).
     * @param schema the columns.
     * @throws UncheckedIOException when the file cannot be created.
     */
    public ParquetTable(final Path file, final MessageType schema)
    {
        this.file = file;
        this.schema = schema;
        try
        {
            writer = new Builder(new LocalOutputFile(file), this)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new ZstdCodecFactory())
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withDictionaryEncoding(true)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .build();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** @return the file. */
    public Path file()
    {
        return file;
    }

    /** @return the columns. */
    public MessageType schema()
    {
        return schema;
    }

    /** @return rows written. */
    public long rows()
    {
        return rows;
    }

    /**
     * Write one row.
     *
     * @param row writes the values.
     * @throws UncheckedIOException when writing fails.
     * @throws IllegalStateException when the row did not write one value per column.
     */
    public void write(final Row row)
    {
        try
        {
            writer.write(row);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
        rows++;
    }

    private String nextField()
    {
        if (field >= schema.getFieldCount())
        {
            throw new IllegalStateException(schema.getName() + ": more values than columns");
        }
        return schema.getFieldName(field);
    }

    /**
     * @param value the next column's value (INT64, or a timestamp).
     * @return this.
     */
    public ParquetTable int64(final long value)
    {
        final String name = nextField();
        consumer.startField(name, field);
        consumer.addLong(value);
        consumer.endField(name, field++);
        return this;
    }

    /**
     * @param value the next column's value (INT32 of any width).
     * @return this.
     */
    public ParquetTable int32(final int value)
    {
        final String name = nextField();
        consumer.startField(name, field);
        consumer.addInteger(value);
        consumer.endField(name, field++);
        return this;
    }

    /**
     * @param value the next column's value (a string), or null for a null.
     * @return this.
     */
    public ParquetTable string(final Binary value)
    {
        if (null == value)
        {
            return nullValue();
        }
        final String name = nextField();
        consumer.startField(name, field);
        consumer.addBinary(value);
        consumer.endField(name, field++);
        return this;
    }

    /**
     * The next column is null (missing): it must be optional.
     *
     * @return this.
     */
    public ParquetTable nullValue()
    {
        nextField();
        field++;
        return this;
    }

    /**
     * @param value the next column's value, or null when {@code value == missing}.
     * @param missing the value that means "not set".
     * @return this.
     */
    public ParquetTable int64OrNull(final long value, final long missing)
    {
        return value == missing ? nullValue() : int64(value);
    }

    public void close()
    {
        try
        {
            writer.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot finish " + file + ": " + ex.getMessage(), ex);
        }
    }

    private void startRow()
    {
        consumer.startMessage();
        field = 0;
    }

    private void endRow()
    {
        if (field != schema.getFieldCount())
        {
            throw new IllegalStateException(schema.getName() + ": " + field + " values for " +
                schema.getFieldCount() + " columns");
        }
        consumer.endMessage();
    }

    private static final class RowWriteSupport extends WriteSupport<Row>
    {
        private final ParquetTable table;

        RowWriteSupport(final ParquetTable table)
        {
            this.table = table;
        }

        public WriteContext init(final ParquetConfiguration configuration)
        {
            return new WriteContext(table.schema, Map.of("writer", "tickbus export"));
        }

        public WriteContext init(final org.apache.hadoop.conf.Configuration configuration)
        {
            return new WriteContext(table.schema, Map.of("writer", "tickbus export"));
        }

        public void prepareForWrite(final RecordConsumer recordConsumer)
        {
            table.consumer = recordConsumer;
        }

        public void write(final Row row)
        {
            table.startRow();
            row.writeTo(table);
            table.endRow();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Row, Builder>
    {
        private final ParquetTable table;

        Builder(final OutputFile file, final ParquetTable table)
        {
            super(file);
            this.table = table;
        }

        protected Builder self()
        {
            return this;
        }

        protected WriteSupport<Row> getWriteSupport(final ParquetConfiguration configuration)
        {
            return new RowWriteSupport(table);
        }

        protected WriteSupport<Row> getWriteSupport(final org.apache.hadoop.conf.Configuration configuration)
        {
            return new RowWriteSupport(table);
        }
    }
}
