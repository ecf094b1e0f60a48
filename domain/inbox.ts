/**
 * 待办工作台's traffic light (红绿灯) of a pending action or notice with a due date: red once it is
 * overdue (or the due instant has passed), yellow when it falls due within the next
 * DUE_SOON_WORKING_DAYS working days (counted after today on the working-day calendar, to the end of
 * that day in Asia/Shanghai), green otherwise. The database computes it (db/queries/inbox.ts) with
 * the instants the API derives from the calendar; these are the names and the rule's one constant.
 */
export const LIGHTS = ['red', 'yellow', 'green'] as const;
export type Light = (typeof LIGHTS)[number];

export const DUE_SOON_WORKING_DAYS = 3;

export const LIGHT_TEXTS: Record<Light, string> = {
  red: '已逾期',
  yellow: `${DUE_SOON_WORKING_DAYS} 个工作日内到期`,
  green: '未到期',
};

/** The instants a light is decided against: now, and the end of the last "due soon" working day. */
export interface LightThresholds {
  now: string;
  dueSoonUntil: string;
}
