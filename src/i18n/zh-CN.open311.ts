/** Chinese texts of the Open311 GeoReport v2 interface: status notes, notices and error descriptions. */
import type { OrderStatus } from '../modules/work-orders/work-orders.models';

export const OPEN311_STATUS_NOTES: Record<OrderStatus, string> = {
  submitted: '已受理，等待派单',
  assigned: '已派单，等待签收',
  accepted: '已签收，正在办理',
  resolved: '已办结，等待回访',
  closed: '已办结归档',
  cancelled: '已撤回',
  merged: '已并入其他工单办理',
  invalid: '经核实不属于需要办理的诉求，已关闭',
};

export const open311Texts = {
  mergedInto: (no: number) => `已并入工单 ${no} 办理`,
  serviceNotice: (c: { limitWorkingDays: number; urgentLimitHours: number }) =>
    `一般诉求 ${c.limitWorkingDays} 个工作日内办结，紧急诉求 ${c.urgentLimitHours} 小时内办结`,
  receivedNotice: (no: number) => `已受理，工单号 ${no}。`,
  errors: {
    apiKey: 'api_key 缺失或无效，不能提交诉求（invalid api_key）',
    jurisdiction: 'jurisdiction_id 不属于本系统（jurisdiction_id not found）',
    serviceCode: 'service_code 不存在或已停用（service_code not found）',
    requestNotFound: '没有这个 service_request_id（service_request_id not found）',
    location: '需要 address_string、address_id 或 lat 与 long（location required）',
    grid: '无法确定所属网格：请用 address_id 填写网格编码，在 address_string 中写明网格全称，或发送落在某网格边界内的 lat/long（grid not found）',
    description: 'description 不能为空（description required）',
    range: 'start_date 与 end_date 之间不能超过 90 天，且 start_date 不能晚于 end_date（date range）',
    invalid: (detail: string) => `参数有误：${detail}（invalid parameter）`,
    notFound: '没有这个接口（not found）',
    internal: '服务器内部错误，请稍后重试（internal error）',
  },
} as const;
