package io.tickbus.tools.latency;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws latency percentile curves to a PNG with XChart, the way latency is plotted in this field: one curve per
 * hop, latency (microseconds) against percentile on a logarithmic axis of {@code 1 / (1 - percentile)}, so that
 * 90%, 99%, 99.9% and 99.99% are evenly spaced and the tail is visible. The axis is drawn as
 * {@code log10(1 / (1 - percentile))} on a linear scale with percentile labels (XChart's own log axis does not take
 * custom labels).
 * <p>
 * Stateless; allocates (a cold path, once per run). Runs headless.
 */
public final class PercentilePlot
{
    /** The plot stops at 99.9999%: log10(1 / (1 - p)) = 6. */
    static final double MAX_X = 6;

    private PercentilePlot()
    {
    }

    /**
     * @param file the PNG to write.
     * @param title chart title.
     * @param histograms curves by name; empty histograms are skipped.
     * @param width image width in pixels.
     * @param height image height in pixels.
     * @throws IOException when the file cannot be written.
     * @throws IllegalStateException when no histogram has a sample.
     */
    public static void write(
        final Path file,
        final String title,
        final Map<String, Histogram> histograms,
        final int width,
        final int height) throws IOException
    {
        if (null == System.getProperty("java.awt.headless"))
        {
            System.setProperty("java.awt.headless", "true");
        }
        final XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
            .xAxisTitle("Percentile").yAxisTitle("Latency (us)").build();
        chart.getStyler()
            .setxAxisTickLabelsFormattingFunction(PercentilePlot::percentileLabel)
            .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW)
            .setChartTitleVisible(true);
        chart.getStyler().setXAxisMin(0.0);

        int curves = 0;
        double maxX = 1.0;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        for (final Map.Entry<String, Histogram> e : histograms.entrySet())
        {
            final Histogram h = e.getValue();
            if (0 == h.getTotalCount())
            {
                continue;
            }
            // the highest percentile a run of N samples can tell apart is 1 - 1/N.
            final double lastX = Math.max(1.0, Math.min(MAX_X, Math.log10(h.getTotalCount())));
            final List<Double> xs = new ArrayList<>();
            final List<Double> ys = new ArrayList<>();
            for (final HistogramIterationValue v : h.percentiles(5))
            {
                final double percentile = v.getPercentileLevelIteratedTo();
                final double x = percentile >= 100.0 ? lastX : Math.min(lastX, Math.log10(100.0 / (100.0 - percentile)));
                final double y = v.getValueIteratedTo() / 1000.0;
                xs.add(x);
                ys.add(y);
                minY = Math.min(minY, y);
                maxY = Math.max(maxY, y);
                if (x >= lastX)
                {
                    break;
                }
            }
            maxX = Math.max(maxX, lastX);
            final XYSeries series = chart.addSeries(e.getKey(), xs, ys);
            series.setMarker(SeriesMarkers.NONE);
            curves++;
        }
        chart.getStyler().setXAxisMax(Math.ceil(maxX));
        if (curves > 0 && minY > 0 && maxY / minY > 100)
        {
            // hops of very different size (ms from the exchange, us on the bus): a log axis shows them all.
            chart.getStyler().setYAxisLogarithmic(true);
            chart.setYAxisTitle("Latency (us, log scale)");
        }
        else
        {
            chart.getStyler().setYAxisMin(0.0);
        }
        if (0 == curves)
        {
            throw new IllegalStateException("nothing to plot: no latency was recorded");
        }
        try (OutputStream out = Files.newOutputStream(file))
        {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /**
     * @param x a value of {@code log10(1 / (1 - p))}.
     * @return the percentile it stands for, e.g. {@code 99.9%} for 3.
     */
    static String percentileLabel(final Double x)
    {
        if (x < 0.0)
        {
            return String.format(Locale.ROOT, "%.3f", x);
        }
        if (0.0 == x)
        {
            return "0%";
        }
        // enough decimals to tell every tick apart (XChart wants unique labels): one more than the nines.
        final int decimals = Math.max(0, (int)Math.ceil(x)) + 1;
        final double percentile = 100.0 * (1.0 - Math.pow(10, -x));
        String text = String.format(Locale.ROOT, "%." + decimals + "f", percentile);
        if (text.indexOf('.') >= 0)
        {
            int end = text.length();
            while (text.charAt(end - 1) == '0')
            {
                end--;
            }
            if (text.charAt(end - 1) == '.')
            {
                end--;
            }
            text = text.substring(0, end);
        }
        return text + "%";
    }
}
