package io.tickbus.tools.export;

import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Parquet page compression with aircompressor's pure-Java zstd, handed to parquet-java's writer in place of its
 * default codec factory, which builds a Hadoop {@code Configuration} (and so needs Hadoop's XML, collections and
 * logging libraries) to find a codec. This keeps the export free of native codecs and of Hadoop's dependencies.
 * <p>
 * Threading: one writer thread per factory. Allocation: a compression buffer that grows to the largest page.
 */
public final class ZstdCodecFactory implements CompressionCodecFactory
{
    private final ZstdCompressor compressor = new ZstdCompressor();
    private byte[] compressed = new byte[0];

    /**
     * @param codecName must be {@link CompressionCodecName#ZSTD}.
     * @return the compressor.
     */
    public BytesInputCompressor getCompressor(final CompressionCodecName codecName)
    {
        if (CompressionCodecName.ZSTD != codecName)
        {
            throw new IllegalArgumentException("only ZSTD is configured, not " + codecName);
        }
        return new BytesInputCompressor()
        {
            public BytesInput compress(final BytesInput bytes) throws IOException
            {
                final byte[] input = bytes.toByteArray();
                final int max = compressor.maxCompressedLength(input.length);
                if (compressed.length < max)
                {
                    compressed = new byte[max];
                }
                final int length = compressor.compress(input, 0, input.length, compressed, 0, compressed.length);
                return BytesInput.from(compressed, 0, length);
            }

            public CompressionCodecName getCodecName()
            {
                return CompressionCodecName.ZSTD;
            }

            public void release()
            {
            }
        };
    }

    /**
     * @param codecName must be {@link CompressionCodecName#ZSTD}.
     * @return a decompressor (the writer does not use it; offered for completeness of the interface).
     */
    public BytesInputDecompressor getDecompressor(final CompressionCodecName codecName)
    {
        if (CompressionCodecName.ZSTD != codecName)
        {
            throw new IllegalArgumentException("only ZSTD is configured, not " + codecName);
        }
        final ZstdDecompressor decompressor = new ZstdDecompressor();
        return new BytesInputDecompressor()
        {
            public BytesInput decompress(final BytesInput bytes, final int uncompressedSize) throws IOException
            {
                final byte[] input = bytes.toByteArray();
                final byte[] output = new byte[uncompressedSize];
                decompressor.decompress(input, 0, input.length, output, 0, uncompressedSize);
                return BytesInput.from(output);
            }

            public void decompress(
                final ByteBuffer input, final int compressedSize, final ByteBuffer output, final int uncompressedSize)
            {
                decompressor.decompress(input, output);
            }

            public void release()
            {
            }
        };
    }

    public void release()
    {
    }
}
