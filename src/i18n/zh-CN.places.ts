/** Texts of grid boundaries (Places): the GeoJSON import on the grid page and its errors. */
export const placesTexts = {
  import: '导入网格边界（GeoJSON）',
  importHint:
    'GeoJSON FeatureCollection：每个 Feature 的 properties.code 为网格编码（层级须为网格），geometry 为 Polygon 或 MultiPolygon，坐标为 WGS-84 经纬度 [经度, 纬度]。每个环须闭合且至少 4 个点；任何一处有错则整批不导入。未列出的网格边界保持不变。',
  importFile: '选择 .geojson / .json 文件（或直接粘贴到下框）',
  export: '导出边界 GeoJSON',
  imported: (n: number) => `已导入 ${n} 个网格的边界。`,
  featureError: (index: number, message: string) => (index >= 0 ? `第 ${index + 1} 个要素（features[${index}]）：${message}` : message),
  /** Where in a geometry a fault is: polygon (only named in a MultiPolygon), ring (1 = outer), point. */
  ring: (polygon: number | null, ring: number) => `${polygon === null ? '' : `第 ${polygon + 1} 个多边形`}${ring === 0 ? '外环' : `第 ${ring} 个内环（洞）`}`,
  point: (ring: string, point: number) => `${ring}第 ${point + 1} 个点`,
  errors: {
    tooLarge: (mb: number) => `文件过大：GeoJSON 最大 ${mb} MB。`,
    json: (detail: string) => `不是有效的 JSON：${detail}`,
    notCollection: '顶层应为 {"type":"FeatureCollection","features":[…]}。',
    empty: 'features 为空，没有可导入的边界。',
    tooManyFeatures: (max: number) => `要素过多：一次最多 ${max} 个。`,
    notFeature: '不是 Feature（应有 "type":"Feature"）。',
    code: '缺少 properties.code（网格编码）。',
    unknownCode: (code: string) => `网格编码 ${code} 不存在。`,
    notGrid: (code: string) => `编码 ${code} 不是网格（只有网格层级可以有边界）。`,
    duplicateCode: (code: string, index: number) => `网格编码 ${code} 与第 ${index + 1} 个要素重复。`,
    geometryType: (type: string) => `geometry 类型“${type}”不支持，应为 Polygon 或 MultiPolygon。`,
    shape: (where: string) => `${where} 的坐标结构不对。`,
    position: (where: string) => `${where} 不是 [经度, 纬度] 数字对。`,
    longitude: (where: string, v: number) => `${where} 的经度 ${v} 超出 −180…180。`,
    latitude: (where: string, v: number) => `${where} 的纬度 ${v} 超出 −90…90。`,
    ringShort: (where: string) => `${where} 少于 4 个点。`,
    ringOpen: (where: string) => `${where} 未闭合（首尾两点应相同）。`,
    tooManyPositions: (max: number) => `点数过多：每个网格最多 ${max} 个点。`,
  },
} as const;
