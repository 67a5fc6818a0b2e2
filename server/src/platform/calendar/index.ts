export {
  type HolidayName,
  type OfficialCalendar,
  officialCalendar,
  parseOfficialData,
} from './official.js';
export {
  type AddWorkingDaysResult,
  type CalendarOverride,
  createWorkCalendar,
  type DayInfo,
  type WorkCalendar,
  type WorkCalendarOptions,
} from './work-calendar.js';
