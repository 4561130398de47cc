/** Texts of the console's maps: the 地图 page, the order page's map and the marker colours. */
export const mapsTexts = {
  nav: '地图',
  title: '工单地图',
  intro: '辖区内有位置的未办结工单，按网格显示（相近的标记合并为一组，放大后展开）；点击标记可打开工单。',
  noTiles: '未配置底图：只画网格边界和工单位置（比例尺见左下角）。',
  offlineTiles: '底图：本地离线瓦片。',
  datumNote: (datum: 'wgs84' | 'gcj02') => (datum === 'gcj02' ? '坐标按 GCJ-02 底图偏移显示（库中存 WGS-84）。' : '坐标系：WGS-84。'),
  cut: (n: number) => `有位置的未办结工单较多，地图只显示最新的 ${n} 件。`,
  noScript: '地图需要启用 JavaScript；下表按网格列出未办结工单。',
  mapLabel: '工单地图',
  orderMapLabel: '工单位置地图',
  legend: '图例',
  states: {
    overdue: '超期',
    nearly_due: '临近超期',
    urgent: '紧急',
    paused: '等待居民答复',
    on_time: '正常',
  },
  byGrid: '按网格',
  grid: '网格',
  code: '编码',
  open: '未办结',
  overdue: '其中超期',
  boundary: '边界',
  hasBoundary: '有',
  noBoundary: '未导入',
  noGrids: '辖区内没有网格。',
  /** A grid's label on the map: its name and open orders. */
  gridCount: (open: number, overdue: number) => `${open} 件${overdue ? `（超期 ${overdue}）` : ''}`,
  gridLabel: (name: string, open: number, overdue: number) => `${name} · ${mapsTexts.gridCount(open, overdue)}`,
  order: (no: number) => `工单 #${no}`,
  openOrder: '打开工单',
  location: '位置',
  noPoint: '工单没有位置，只画所属网格的边界。',
  pointOutside: '位置不在所属网格的边界内。',
  coordinates: (lat: number, lng: number) => `WGS-84 纬度 ${lat.toFixed(6)}，经度 ${lng.toFixed(6)}`,
} as const;

/** What the browser script needs to write (popups, labels), handed over as JSON in a data attribute. */
export const mapsClientTexts = {
  states: mapsTexts.states,
  openOrder: mapsTexts.openOrder,
  orders: '件',
  overdue: '超期',
} as const;
