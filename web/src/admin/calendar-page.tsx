import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { calendarApi } from '../api/calendar';
import {
  type CalendarOverride,
  DAY_KINDS,
  type DayInfo,
  type DayKind,
  type DeadlineResult,
} from '../api/types';
import { useMe, useSession } from '../auth/session';
import { useReportError } from '../components/api-errors';
import { ErrorResult } from '../components/error-result';
import { useResetOnOpen } from '../components/form-drawer';
import { PageContainer } from '../components/page-container';
import { RegionSelect } from '../components/remote-select';
import { type Locale, type Translate, useI18n } from '../i18n/i18n';

const DATE = 'YYYY-MM-DD';

function dayName(day: DayInfo | undefined, locale: Locale): string | undefined {
  if (!day?.name) return undefined;
  return locale === 'zh-CN' ? day.name.zh : day.name.en;
}

function describeDay(t: Translate, locale: Locale, date: string, day: DayInfo | undefined): string {
  const parts = [date, day ? t(`calendar.kind.${day.kind}`) : '', dayName(day, locale) ?? ''];
  return parts.filter(Boolean).join(' · ');
}

const MONTHS = Array.from({ length: 12 }, (_, month) => month);

type Cell = { key: string; day: number | null };

const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Monday-first weekday headers in the reader's language. */
function weekdayNames(locale: Locale): string[] {
  // 一 二 三 reads well in Chinese; English needs Mon Tue Wed to tell Tuesday from Thursday.
  const format = new Intl.DateTimeFormat(locale, { weekday: locale === 'zh-CN' ? 'narrow' : 'short' });
  // 2024-01-01 was a Monday.
  return Array.from({ length: 7 }, (_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i, 12))));
}

function MonthGrid({
  year,
  month,
  days,
  onPick,
}: {
  year: number;
  month: number;
  days: Map<string, DayInfo>;
  onPick: (date: string) => void;
}) {
  const { t, locale } = useI18n();
  const first = dayjs(new Date(year, month, 1));
  const lead = (first.day() + 6) % 7;
  const count = first.daysInMonth();
  // Each cell is keyed by its date, or by its place in the grid when it is a blank before or after the month.
  const cells: Cell[] = [
    ...Array.from({ length: lead }, (_, i) => ({ key: `lead-${i}`, day: null })),
    ...Array.from({ length: count }, (_, i) => ({ key: first.date(i + 1).format(DATE), day: i + 1 })),
  ];
  while (cells.length % 7 !== 0) cells.push({ key: `tail-${cells.length}`, day: null });
  const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const title = new Intl.DateTimeFormat(locale, { month: 'long' }).format(new Date(year, month, 15));

  return (
    <Card size="small" title={title} className="tb-month" data-testid={`month-${month + 1}`}>
      <table>
        <thead>
          <tr>
            {weekdayNames(locale).map((name, i) => (
              <th key={WEEKDAY_KEYS[i]} scope="col">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]?.key}>
              {week.map(({ key, day: d }, i) => {
                if (d === null) return <td key={key} />;
                const date = key;
                const info = days.get(date);
                const kind: DayKind = info?.kind ?? (i >= 5 ? 'weekend' : 'workday');
                return (
                  <td key={key}>
                    <button
                      type="button"
                      className={`tb-day tb-day-${kind}`}
                      title={describeDay(t, locale, date, info)}
                      aria-label={describeDay(t, locale, date, info)}
                      data-date={date}
                      data-kind={kind}
                      onClick={() => onPick(date)}
                    >
                      {d}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function DayDialog({
  date,
  day,
  override,
  regionCode,
  onClose,
}: {
  date: string | null;
  day: DayInfo | undefined;
  override: CalendarOverride | undefined;
  regionCode: string | undefined;
  onClose: () => void;
}) {
  const { t, locale } = useI18n();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = Form.useForm<{ workday: boolean; note: string }>();
  useResetOnOpen(form, date !== null);
  const done = async () => {
    message.success(t('common.saved'));
    await queryClient.invalidateQueries({ queryKey: ['calendar'] });
    onClose();
  };
  const add = useMutation({
    mutationFn: (values: { workday: boolean; note: string }) =>
      calendarApi.addOverride({
        regionCode: regionCode ?? '',
        date: date ?? '',
        workday: values.workday,
        note: values.note ?? '',
      }),
    onSuccess: done,
    onError: (error) => report(error, form),
  });
  const remove = useMutation({
    mutationFn: (id: string) => calendarApi.removeOverride(id),
    onSuccess: done,
    onError: (error) => report(error),
  });

  return (
    <Modal
      open={date !== null}
      title={t('calendar.dayTitle', { date: date ?? '' })}
      onCancel={onClose}
      destroyOnHidden
      footer={null}
    >
      <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('calendar.dayKind')}>
          {day ? t(`calendar.kind.${day.kind}`) : '—'}
        </Descriptions.Item>
        {dayName(day, locale) ? (
          <Descriptions.Item label={t('calendar.dayName')}>{dayName(day, locale)}</Descriptions.Item>
        ) : null}
        {day?.source ? (
          <Descriptions.Item label={t('calendar.source')}>{day.source}</Descriptions.Item>
        ) : null}
      </Descriptions>
      {!regionCode ? (
        <Alert type="info" showIcon title={t('calendar.pickRegion')} />
      ) : override ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert
            type="info"
            showIcon
            title={t('calendar.overrideExists', {
              state: override.workday ? t('calendar.override.on') : t('calendar.override.off'),
            })}
            description={override.note}
          />
          <Button
            danger
            loading={remove.isPending}
            onClick={() => remove.mutate(override.id)}
            data-testid="remove-override"
          >
            {t('calendar.removeOverride')}
          </Button>
        </Space>
      ) : (
        <Form<{ workday: boolean; note: string }>
          form={form}
          name="override"
          layout="vertical"
          initialValues={{ workday: !(day?.workday ?? true), note: '' }}
          onFinish={(values) => add.mutate(values)}
        >
          <Form.Item name="workday" label={t('calendar.override.label')}>
            <Radio.Group
              options={[
                { value: true, label: t('calendar.override.on') },
                { value: false, label: t('calendar.override.off') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="note"
            label={t('calendar.override.note')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending} data-testid="add-override">
            {t('calendar.addOverride')}
          </Button>
        </Form>
      )}
    </Modal>
  );
}

function DeadlineCalculator({ regionCode }: { regionCode: string | undefined }) {
  const { t, locale } = useI18n();
  const report = useReportError();
  const [form] = Form.useForm<{ from: Dayjs; days: number }>();
  const [result, setResult] = useState<DeadlineResult | null>(null);
  const compute = useMutation({
    mutationFn: (values: { from: Dayjs; days: number }) =>
      calendarApi.compute(values.from.format(DATE), values.days, regionCode),
    onSuccess: setResult,
    onError: (error) => report(error, form),
  });
  const offDays =
    result?.crossed.filter((d) => !d.workday || d.kind === 'makeup' || d.kind === 'override-on') ?? [];

  return (
    <Card title={t('calendar.calc.title')} data-testid="deadline-calculator">
      <Form<{ from: Dayjs; days: number }>
        form={form}
        name="deadline"
        layout="inline"
        initialValues={{ from: dayjs(), days: 5 }}
        onFinish={(values) => compute.mutate(values)}
      >
        <Form.Item
          name="from"
          label={t('calendar.calc.from')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <DatePicker allowClear={false} />
        </Form.Item>
        <Form.Item
          name="days"
          label={t('calendar.calc.days')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <InputNumber min={0} max={3650} precision={0} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={compute.isPending} data-testid="compute-deadline">
          {t('calendar.calc.compute')}
        </Button>
      </Form>
      {result ? (
        <Descriptions column={1} size="small" style={{ marginTop: 16 }} data-testid="deadline-result">
          <Descriptions.Item label={t('calendar.calc.due')}>
            <Typography.Text strong data-testid="deadline-due">
              {result.due}
            </Typography.Text>{' '}
            {result.provisional ? (
              <Tag color="warning" data-testid="deadline-provisional">
                {t('calendar.calc.provisional')}
              </Tag>
            ) : (
              <Tag color="success">{t('calendar.calc.final')}</Tag>
            )}
          </Descriptions.Item>
          {result.provisional ? (
            <Descriptions.Item label={t('calendar.calc.why')}>
              {t('calendar.calc.provisionalHint')}
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('calendar.calc.crossed')}>
            {offDays.length === 0
              ? t('common.none')
              : offDays.map((d) => (
                  <Tag key={d.date}>
                    {d.date} {dayName(d, locale) ?? t(`calendar.kind.${d.kind}`)}
                  </Tag>
                ))}
          </Descriptions.Item>
        </Descriptions>
      ) : null}
    </Card>
  );
}

/** 工作日历: official holidays and make-up days, plus this region's own overrides; and the deadline they give. */
export function CalendarPage() {
  const { t } = useI18n();
  const me = useMe();
  const { activeRole } = useSession();
  const thisYear = dayjs().year();
  const [year, setYear] = useState(thisYear);
  const [regionCode, setRegionCode] = useState<string | undefined>(
    activeRole?.regionCode ?? me.regionCode ?? undefined,
  );
  const [picked, setPicked] = useState<string | null>(null);

  const days = useQuery({
    queryKey: ['calendar', 'days', year, regionCode],
    queryFn: () => calendarApi.days(year, regionCode),
  });
  const overrides = useQuery({
    queryKey: ['calendar', 'overrides', regionCode],
    queryFn: () => calendarApi.overrides(regionCode),
    enabled: Boolean(regionCode),
  });
  const dayMap = useMemo(() => new Map((days.data?.days ?? []).map((d) => [d.date, d])), [days.data]);
  const overrideMap = useMemo(
    () => new Map((overrides.data?.items ?? []).map((o) => [o.date.slice(0, 10), o])),
    [overrides.data],
  );
  const years = Array.from({ length: 7 }, (_, i) => thisYear - 3 + i);

  return (
    <PageContainer title={t('admin.menu.calendar')} subTitle={t('calendar.intro')}>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Flex gap="middle" wrap align="center">
          <Select<number>
            aria-label={t('calendar.year')}
            value={year}
            onChange={setYear}
            options={years.map((y) => ({ value: y, label: String(y) }))}
            style={{ width: 110 }}
            data-testid="calendar-year"
          />
          <RegionSelect
            aria-label={t('calendar.region')}
            placeholder={t('calendar.region')}
            value={regionCode}
            onChange={setRegionCode}
            valueLabel={activeRole?.regionName ?? undefined}
            style={{ width: 240 }}
          />
          <Flex gap="small" wrap>
            {DAY_KINDS.map((kind) => (
              <span key={kind}>
                <span className={`tb-legend-swatch tb-day-${kind}`} aria-hidden="true" />
                {t(`calendar.kind.${kind}`)}
              </span>
            ))}
          </Flex>
        </Flex>
        {days.data && !days.data.loaded ? (
          <Alert
            type="warning"
            showIcon
            title={t('calendar.notLoaded', { year })}
            data-testid="calendar-not-loaded"
          />
        ) : null}
        <Typography.Text>{t('calendar.clickHint')}</Typography.Text>
        {days.isError ? (
          <ErrorResult error={days.error} onRetry={() => void days.refetch()} />
        ) : (
          <div className="tb-calendar-grid" aria-busy={days.isPending}>
            {MONTHS.map((month) => (
              <MonthGrid key={month} year={year} month={month} days={dayMap} onPick={setPicked} />
            ))}
          </div>
        )}
        <DeadlineCalculator regionCode={regionCode} />
      </Space>
      <DayDialog
        date={picked}
        day={picked ? dayMap.get(picked) : undefined}
        override={picked ? overrideMap.get(picked) : undefined}
        regionCode={regionCode}
        onClose={() => setPicked(null)}
      />
    </PageContainer>
  );
}
