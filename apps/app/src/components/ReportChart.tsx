import type { Report } from '@parley/protocol';
import { useState } from 'react';
import { View, type LayoutChangeEvent } from 'react-native';
import { BarChart } from 'react-native-chart-kit';
import { useTheme } from '../theme/theme';

/** The value a report's chart draws, one bar per row. */
export const CHARTED: Record<Report['report'], string> = {
  'first-response-time': 'medianMinutes',
  'resolution-time': 'medianMinutes',
  volume: 'created',
  backlog: 'open',
  sla: 'attainment',
  csat: 'average',
};

/**
 * A report as bars (react-native-chart-kit on react-native-svg: the same on the web and on
 * phones), as wide as its container. Screen readers get `label`; the table under it has the figures.
 */
export function ReportChart({
  report,
  label,
  labelOf,
}: {
  report: Report;
  label: string;
  labelOf: (key: string, label: string) => string;
}) {
  const { colors } = useTheme();
  const [width, setWidth] = useState(0);
  const column = CHARTED[report.report];
  const scale = column === 'attainment' ? 100 : 1;
  const rows = report.rows;
  // Long ranges: label every few days so the labels stay readable.
  const every = Math.max(1, Math.ceil(rows.length / 10));
  const data = {
    labels: rows.map((row, i) => (i % every === 0 ? shortLabel(labelOf(row.key, row.label)) : '')),
    datasets: [{ data: rows.map((row) => (row.values[column] ?? 0) * scale) }],
  };
  const hex = (color: string, opacity: number) =>
    `${color}${Math.round(Math.max(0.15, opacity) * 255)
      .toString(16)
      .padStart(2, '0')}`;
  return (
    <View
      onLayout={(e: LayoutChangeEvent) => setWidth(Math.floor(e.nativeEvent.layout.width))}
      accessible
      accessibilityRole="image"
      accessibilityLabel={label}
      testID={`chart-${report.report}`}
    >
      {width > 0 && rows.length > 0 ? (
        <BarChart
          data={data}
          width={width}
          height={200}
          fromZero
          yAxisLabel=""
          yAxisSuffix={scale === 100 ? '%' : ''}
          showValuesOnTopOfBars={rows.length <= 14}
          chartConfig={{
            backgroundGradientFrom: colors.surfaceRaised,
            backgroundGradientTo: colors.surfaceRaised,
            decimalPlaces: column === 'average' ? 1 : 0,
            color: (opacity = 1) => hex(colors.primary, opacity),
            labelColor: () => colors.textMuted,
            barPercentage: 0.6,
          }}
        />
      ) : null}
    </View>
  );
}

const shortLabel = (text: string) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? text.slice(5) : text.slice(0, 10));
