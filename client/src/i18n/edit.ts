import { defineMessages } from './core.ts'
import { useI18n, type I18n } from './useI18n.ts'

/** The map's edit mode (编辑). Chinese is the source; English carries the same keys. */
export const editZh = {
  edit: '编辑',
  editTitle: '编辑地图要素（新增、移动、修改、删除）',
  closeEdit: '退出编辑',
  layer: '编辑图层',
  add: '新增',
  addPoint: '在地图上点击放置新要素',
  addLine: '在地图上依次点击画线，双击结束',
  addPolygon: '在地图上依次点击画面，点击起点闭合',
  pickHint: '点击地图上的要素进行编辑；选中后可拖动位置或节点',
  dragHint: '拖动要素或节点调整位置，修改属性后点“保存”',
  newFeature: '新要素',
  editing: '正在编辑 #{id}',
  save: '保存',
  saving: '保存中…',
  cancel: '取消',
  remove: '删除',
  confirmRemove: '确定删除该要素？可用“撤销”恢复。',
  undo: '撤销',
  undoTitle: '撤销我的上一次修改',
  saved: '已保存',
  removed: '已删除',
  undone: '已撤销上一次修改',
  nothingToUndo: '没有可撤销的修改',
  fixFields: '请修正标红的字段',
  required: '必填',
  tooShort: '至少 {min}',
  tooLong: '最多 {max} 个字符',
  tooSmall: '不能小于 {min}',
  tooBig: '不能大于 {max}',
  notNumber: '请填写数字',
  notInteger: '请填写整数',
  choose: '请选择',
  badFormat: '只能包含字母、数字、- 和 _',
  invalid: '填写有误',
  noGeometry: '请先在地图上画出要素',
  choosePlaceholder: '— 请选择 —',
  notEditable: '该图层不可编辑',
  unknownReference: '编号不存在',
  alreadyUsed: '编号已被使用',
  invalidGeometry: '图形无效（自相交、节点重合或过短），请重新绘制',
  outsideTown: '图形超出镇域范围',
  emptyGeometry: '图形为空，请重新绘制',
}

export const editEn: Record<keyof typeof editZh, string> = {
  edit: 'Edit',
  editTitle: 'Edit map features (add, move, change, delete)',
  closeEdit: 'Stop editing',
  layer: 'Layer to edit',
  add: 'Add',
  addPoint: 'Click on the map to place the new feature',
  addLine: 'Click on the map to draw the line; double-click to finish',
  addPolygon: 'Click on the map to draw the area; click the first point to close it',
  pickHint: 'Click a feature on the map to edit it; once selected, drag it or its vertices',
  dragHint: 'Drag the feature or its vertices, change attributes, then Save',
  newFeature: 'New feature',
  editing: 'Editing #{id}',
  save: 'Save',
  saving: 'Saving…',
  cancel: 'Cancel',
  remove: 'Delete',
  confirmRemove: 'Delete this feature? Undo brings it back.',
  undo: 'Undo',
  undoTitle: 'Undo my last change',
  saved: 'Saved',
  removed: 'Deleted',
  undone: 'Your last change is undone',
  nothingToUndo: 'Nothing to undo',
  fixFields: 'Please correct the fields marked red',
  required: 'Required',
  tooShort: 'At least {min}',
  tooLong: 'At most {max} characters',
  tooSmall: 'Must be at least {min}',
  tooBig: 'Must be at most {max}',
  notNumber: 'Enter a number',
  notInteger: 'Enter a whole number',
  choose: 'Choose one',
  badFormat: 'Letters, digits, - and _ only',
  invalid: 'Invalid',
  noGeometry: 'Draw the feature on the map first',
  choosePlaceholder: '— choose —',
  notEditable: 'This layer cannot be edited',
  unknownReference: 'No such code',
  alreadyUsed: 'Code already used',
  invalidGeometry: 'The shape is not valid (self-intersecting, repeated or too short): draw it again',
  outsideTown: 'The shape lies outside the town',
  emptyGeometry: 'The shape is empty: draw it again',
}

const editText = defineMessages('edit', editZh, editEn)

export interface EditI18n extends I18n {
  te: typeof editText
}

/** The workspace's i18n plus the edit mode's strings, following the same locale switch. */
export function useEditI18n(): EditI18n {
  return { ...useI18n(), te: editText }
}

/** A zod issue (from the shared schema, in the client or in the server's 400) worded for the field it is on. */
export interface FieldIssue {
  code?: string
  message?: string
  minimum?: number | bigint
  maximum?: number | bigint
  origin?: string
  expected?: string
  format?: string
}

export function issueText(issue: FieldIssue): string {
  const t = editText
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? t('required') : t('tooShort', { min: String(issue.minimum) })
      return t('tooSmall', { min: String(issue.minimum) })
    case 'too_big':
      return issue.origin === 'string' ? t('tooLong', { max: String(issue.maximum) }) : t('tooBig', { max: String(issue.maximum) })
    case 'invalid_type':
      if (issue.expected === 'int') return t('notInteger')
      return issue.expected === 'number' ? t('notNumber') : t('required')
    case 'invalid_value':
      return t('choose')
    case 'invalid_format':
      return t('badFormat')
    // The server's own codes (400 details), beside the field or the geometry they are about.
    case 'unknown_reference':
      return t('unknownReference')
    case 'already_used':
      return t('alreadyUsed')
    case 'invalid_geometry':
      return t('invalidGeometry')
    case 'outside_town':
      return t('outsideTown')
    case 'empty_geometry':
      return t('emptyGeometry')
    default:
      return t('invalid')
  }
}
