/** Finding places by name (Chinese, pinyin or its initials) and where the map goes to show them. */
export { withoutPinyin, withPinyinLabels } from './names';
export { bboxOf, boxView, placeAt, placesOf, placeView, type Place } from './places';
export { PlaceIndex } from './place-index';
export { highlightOf, type HighlightCollection } from './highlight';
