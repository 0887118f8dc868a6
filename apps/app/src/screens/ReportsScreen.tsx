import type { Report, ReportGrouping, ReportName } from '@parley/protocol';
import { REPORT_COLUMNS } from '@parley/protocol/constants';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Platform, Share, StyleSheet, Text, View } from 'react-native';
import { parley } from '../api/parley';
import { Button } from '../components/Button';
import { Chip } from '../components/Chip';
import { Screen } from '../components/Screen';
import { TextField } from '../components/TextField';
import { useTheme } from '../theme/theme';

/**
 * The charts (react-native-chart-kit on react-native-svg, ~10 % of the app's script) load with the
 * first report drawn, not with the app: most people never open Reports.
 */
const ReportChart = lazy(() => import('../components/ReportChart').then((m) => ({ default: m.ReportChart })));

const REPORTS = Object.keys(REPORT_COLUMNS) as ReportName[];
const GROUPINGS: ReportGrouping[] = ['day', 'team', 'agent', 'priority', 'label'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` of a date in the device's own zone, `back` days before today. */
function localDay(back: number): string {
  const d = new Date();
  d.setDate(d.getDate() - back);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

interface Query {
  from: string;
  to: string;
  timeZone: string;
  groupBy: ReportGrouping;
}

/** The analytics dashboard (`reports.view`): every report over one range, zone and grouping. */
export function ReportsScreen() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const [draft, setDraft] = useState<Query>({
    from: localDay(29),
    to: localDay(0),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    groupBy: 'day',
  });
  const [reports, setReports] = useState<Partial<Record<ReportName, Report>>>({});
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    async (query: Query) => {
      if (!DAY.test(query.from) || !DAY.test(query.to) || query.from > query.to) {
        setFailed(t('reports.badDates'));
        return;
      }
      setBusy(true);
      try {
        const answers = await Promise.all(REPORTS.map((name) => parley.reports.get(name, query)));
        setReports(Object.fromEntries(answers.map((r) => [r.report, r])));
        setFailed(null);
      } catch {
        setFailed(t('reports.failed'));
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  // The first range once, on opening; later ones when asked (Show, a range or a grouping).
  const [initial] = useState(draft);
  useEffect(() => void load(initial), [load, initial]);

  const change = (next: Partial<Query>, reload = false) => {
    const query = { ...draft, ...next };
    setDraft(query);
    if (reload) void load(query);
  };

  return (
    <Screen title={t('reports.title')}>
      <View style={styles.controls}>
        <View style={styles.row} accessibilityRole="radiogroup" accessibilityLabel={t('reports.range')}>
          {([7, 30, 90] as const).map((days) => (
            <Chip
              key={days}
              label={t(`reports.last${days}`)}
              selected={draft.from === localDay(days - 1) && draft.to === localDay(0)}
              onPress={() => change({ from: localDay(days - 1), to: localDay(0) }, true)}
            />
          ))}
        </View>
        <View style={styles.row}>
          <TextField label={t('reports.from')} value={draft.from} onChangeText={(from) => change({ from })} />
          <TextField label={t('reports.to')} value={draft.to} onChangeText={(to) => change({ to })} />
          <TextField
            label={t('reports.timeZone')}
            value={draft.timeZone}
            autoCapitalize="none"
            onChangeText={(timeZone) => change({ timeZone })}
          />
        </View>
        <View style={styles.row} accessibilityRole="radiogroup" accessibilityLabel={t('reports.groupBy')}>
          {GROUPINGS.map((g) => (
            <Chip
              key={g}
              label={t(`reports.groupings.${g}`)}
              selected={draft.groupBy === g}
              onPress={() => change({ groupBy: g }, true)}
            />
          ))}
          <Button label={t('reports.apply')} busy={busy} onPress={() => void load(draft)} />
        </View>
        {failed ? (
          <Text style={{ color: colors.danger }} accessibilityRole="alert">
            {failed}
          </Text>
        ) : null}
      </View>
      {REPORTS.map((name) => {
        const report = reports[name];
        return report ? <ReportCard key={name} report={report} /> : null;
      })}
    </Screen>
  );
}

function ReportCard({ report }: { report: Report }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const name = t(`reports.names.${report.report}`);
  const labelOf = (key: string, label: string) =>
    key === 'none'
      ? t('reports.none')
      : report.groupBy === 'priority'
        ? t(`tickets.priorities.${key as 'low'}`)
        : label;
  const download = async () => {
    const query = { from: report.from, to: report.to, timeZone: report.timeZone, groupBy: report.groupBy };
    const csv = await parley.reports.csv(report.report, query);
    const fileName = `${report.report}-${report.from}-${report.to}.csv`;
    if (Platform.OS === 'web') {
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } else {
      await Share.share({ title: fileName, message: csv });
    }
  };
  const cell = (column: string, value: number | null | undefined) => formatValue(column, value ?? null);
  const empty =
    report.rows.length === 0 ||
    report.total.count === 0 ||
    (report.report === 'volume' && report.total.created === 0 && report.total.closed === 0);
  return (
    <View style={[styles.card, { borderColor: colors.border, backgroundColor: colors.surfaceRaised }]}>
      <View style={styles.cardHead}>
        <Text accessibilityRole="header" aria-level={2} style={[styles.cardTitle, { color: colors.text }]}>
          {name}
        </Text>
        <Button
          variant="secondary"
          label={t('reports.csv')}
          accessibilityLabel={t('reports.csvLabel', { name })}
          onPress={() => void download()}
        />
      </View>
      {empty ? <Text style={{ color: colors.textMuted }}>{t('reports.empty')}</Text> : null}
      <Suspense fallback={<View style={styles.chartSpace} />}>
        <ReportChart report={report} label={t('reports.chart', { name })} labelOf={labelOf} />
      </Suspense>
      <View role="table" aria-label={t('reports.table', { name })} style={styles.table}>
        <View role="row" style={[styles.tr, { borderBottomColor: colors.border }]}>
          <Text role="columnheader" style={[styles.th, styles.first, { color: colors.textMuted }]}>
            {t('reports.group')}
          </Text>
          {report.columns.map((c) => (
            <Text key={c} role="columnheader" style={[styles.th, { color: colors.textMuted }]}>
              {t(`reports.columns.${c as 'count'}`)}
            </Text>
          ))}
        </View>
        {report.rows.map((row) => (
          <View key={row.key} role="row" style={[styles.tr, { borderBottomColor: colors.border }]}>
            <Text role="rowheader" style={[styles.td, styles.first, { color: colors.text }]}>
              {labelOf(row.key, row.label)}
            </Text>
            {report.columns.map((c) => (
              <Text key={c} role="cell" style={[styles.td, { color: colors.text }]}>
                {cell(c, row.values[c])}
              </Text>
            ))}
          </View>
        ))}
        <View role="row" style={styles.tr}>
          <Text role="rowheader" style={[styles.td, styles.first, styles.total, { color: colors.text }]}>
            {t('reports.total')}
          </Text>
          {report.columns.map((c) => (
            <Text key={c} role="cell" style={[styles.td, styles.total, { color: colors.text }]}>
              {cell(c, report.total[c])}
            </Text>
          ))}
        </View>
      </View>
    </View>
  );
}

/** Shares as percentages, averages with one decimal (4.0), minutes as they come; nothing measured: –. */
function formatValue(column: string, value: number | null): string {
  if (value === null) return '–';
  if (column === 'attainment' || column === 'satisfiedShare') return `${Math.round(value * 1000) / 10} %`;
  if (column === 'average') return value.toFixed(1);
  return String(value);
}

const styles = StyleSheet.create({
  controls: { gap: 8, marginBottom: 16 },
  row: { flexDirection: 'row', flexWrap: 'wrap', gap: 8, alignItems: 'flex-end' },
  card: { borderWidth: 1, borderRadius: 8, padding: 12, marginBottom: 16, gap: 8 },
  cardHead: { flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', gap: 8, flexWrap: 'wrap' },
  /** Where a chart will be while its code loads: the page does not jump when it arrives. */
  chartSpace: { height: 200 },
  cardTitle: { fontSize: 16, fontWeight: '700' },
  table: { marginTop: 4 },
  tr: { flexDirection: 'row', borderBottomWidth: StyleSheet.hairlineWidth, paddingVertical: 4 },
  th: { flex: 1, fontSize: 12, fontWeight: '600' },
  td: { flex: 1, fontSize: 13 },
  first: { flex: 1.5 },
  total: { fontWeight: '700' },
});
