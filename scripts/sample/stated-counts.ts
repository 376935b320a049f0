/**
 * The counts each seed plan states for 2020, reviewed by hand: which JSON path holds each county total of beds or
 * staff the sample must honour, which holds the quote that states it, which facility a stated per-facility count
 * belongs to, and which stated counts are deliberately not used (and why). The numbers themselves are read from
 * the plan at these paths when the data is built, and each quote is checked to contain its number.
 */
import type { CountyId } from '../../src/core/counties';
import type { FacilityKind } from '../../src/core/model';
import type { ResourceIndicator } from './shared-tables';

/** A county total the plan states: the number at `path`, stated in the quote at `quote_path`. */
interface StatedTotal {
  path: string;
  quote_path: string;
}

/**
 * A facility whose beds the plan states (a row of a table naming it). `facility` is a modelled county hospital
 * (`county:<kind>`), a township's main centre (`township:<code>`) or a branch centre the model adds at a
 * village (`branch:<village code>`).
 */
export interface StatedFacilityBeds {
  name: string;
  path: string;
  facility: `county:${'general_hospital' | 'tcm_hospital' | 'maternal_child_hospital'}` | `township:${string}` | `branch:${string}`;
}

/** A count the plan states that the sample does not use, with the reason. */
interface UnusedCount {
  path: string;
  reason: string;
}

/**
 * A number of facilities the plan states (`facilities_2020.<key>`), the model kinds it counts, and the quote that
 * states it (null where the plan only states it in a note or a table). `not_honoured` gives the reason where the
 * sample keeps a different count; `reading` says what the key means for the model.
 */
interface StatedFacilityCount {
  key: string;
  kinds: readonly FacilityKind[];
  /** Only public facilities count (a modelled non-public hospital holding the rest of the beds does not). */
  public_only?: boolean;
  quote_path: string | null;
  reading: string;
  not_honoured?: string;
}

export interface StatedCounts {
  /** Every stated count of facilities of a kind the model has (README §2 and §6 of ../shared/plans). */
  facility_counts: readonly StatedFacilityCount[];
  /** How many villages have a clinic, where the plan says (one each before any village gets a second). */
  villages_with_clinic?: { path: string; quote_path: string };
  /** Why a township gets a modelled branch 卫生院 (分院), where the stated count exceeds the townships with a seat. */
  branch_centre?: { why: string };
  totals: Partial<Record<ResourceIndicator, StatedTotal>>;
  facility_beds: readonly StatedFacilityBeds[];
  /** What holds the county's beds that no named facility does (the plan's total less its named rows). */
  remainder_beds_holder?: { name: string; why: string };
  unused: readonly UnusedCount[];
}

const JINGYU_AUTHORISED = 'beds_2020.authorised_beds';
const jingyuBeds = (group: 'county_hospitals' | 'township_and_mch', name: string, facility: StatedFacilityBeds['facility']) => ({
  name,
  path: `${JINGYU_AUTHORISED}.${group}.${name}.2020`,
  facility,
});

export const STATED_COUNTS: Record<CountyId, StatedCounts> = {
  shandan: {
    facility_counts: [
      {
        key: 'county_hospitals',
        kinds: ['general_hospital', 'tcm_hospital', 'maternal_child_hospital'],
        quote_path: 'facilities_2020.quote',
        reading: '二级以上公立医院: the 人民医院, 中医医院 and 妇幼保健院 the text names (facilities_2020.county_hospitals_note)',
      },
      {
        key: 'township_health_centres',
        kinds: ['township_health_centre'],
        quote_path: 'facilities_2020.other_quotes[0]',
        reading: 'one 卫生院 in each of the 8 乡/镇 ("82" elsewhere is a typo, doubtful_values)',
      },
      {
        key: 'village_clinics',
        kinds: ['village_clinic'],
        quote_path: 'facilities_2020.other_quotes[1]',
        reading: 'the only count of 村卫生室 the plan gives (those meeting the four-rooms standard): fewer villages get one',
      },
    ],
    totals: {
      physicians_per_1000: { path: 'resources_2020.physicians', quote_path: 'resources_2020.quote' },
      nurses_per_1000: { path: 'resources_2020.registered_nurses', quote_path: 'resources_2020.quote' },
    },
    facility_beds: [],
    unused: [
      { path: 'resources_2020.health_technical_staff', reason: 'all health technicians: the sample holds no such attribute' },
      { path: 'resources_2020.tcm_staff', reason: 'TCM staff: the sample holds no such attribute' },
      {
        path: 'resources_2020.tcm_beds',
        reason: 'TCM beds only; the plan states no total of beds (477 ÷ 33.24 % is computed, not stated)',
      },
    ],
  },
  yanhu: {
    facility_counts: [
      {
        key: 'township_and_community_health_centres',
        kinds: ['township_health_centre', 'community_health_centre'],
        quote_path: 'facilities_2020.quote',
        reading:
          '卫生院 and 社区卫生服务中心 together: one 中心 per 街道 (8) and, as 14 卫生院 were renovated in 2016–2020 ' +
          '(facilities_2020.other_quotes[2]), 14 卫生院 for the 13 乡/镇: 8 + 14 = 22',
      },
    ],
    branch_centre: {
      why:
        'the plan renovated 14 卫生院 (facilities_2020.other_quotes[2]) in 13 乡/镇 and counts 22 centres in all; it does ' +
        'not say which township has two, so the modelled 14th is a 分院 at the largest village of the most populous ' +
        '乡/镇 other than the county seat',
    },
    totals: {},
    facility_beds: [],
    unused: [],
  },
  pingba: {
    facility_counts: [
      {
        key: 'county_hospitals',
        kinds: ['general_hospital', 'tcm_hospital', 'maternal_child_hospital'],
        quote_path: 'facilities_2020.other_quotes[0]',
        reading: '区级医院: 区人民医院, 区中医院, 区妇幼保健院 (facilities_2020.county_hospitals_note)',
      },
      {
        key: 'township_health_centres',
        kinds: ['township_health_centre'],
        quote_path: 'facilities_2020.quote',
        reading: '卫生院 9 家: one per 乡/镇 (the model has 9)',
      },
      {
        key: 'community_health_centres',
        kinds: ['community_health_centre'],
        quote_path: 'facilities_2020.quote',
        reading: '社区卫生服务中心 1 家',
        not_honoured:
          'the model gives each of the 2 街道 (安平, 鼓楼) a 社区卫生服务中心; the plan names a 卫生院 in both streets among its 9 ' +
          '(facilities_2020.township_health_centres_note) while the model has one per 乡/镇, and it does not say which ' +
          'street has the one 中心, so no honest reading drops either',
      },
      {
        key: 'village_clinics',
        kinds: ['village_clinic'],
        quote_path: 'facilities_2020.quote',
        reading:
          '村卫生室 174 for 117 village committees (the 81 administrative villages are doubtful, doubtful_values): the ' +
          'villages that get one as modelled, and second clinics in the largest villages',
      },
    ],
    totals: {
      beds_per_1000: { path: 'resources_2020.open_beds_approx', quote_path: 'resources_2020.other_quotes[0]' },
    },
    facility_beds: [],
    unused: [
      { path: 'resources_2020.medical_staff_all', reason: 'all medical staff: the sample holds no such attribute' },
      {
        path: 'resources_2020.public_health_and_infectious_disease_staff',
        reason: '1644 of 1915 staff is implausible and the plan data says not to use it (doubtful_values[3])',
      },
      { path: 'resources_2020.tcm_beds', reason: 'TCM beds only, part of the stated total' },
    ],
  },
  jingyu: {
    facility_counts: [
      {
        key: 'county_hospitals',
        kinds: ['general_hospital', 'tcm_hospital'],
        public_only: true,
        quote_path: null,
        reading:
          'the public 人民医院 and 中医院 of the authorised-bed table; its 妇幼保健院 is an MCH institution and the ' +
          'non-public hospital holding the rest of the beds is not a county hospital (facilities_2020.county_hospitals_note)',
      },
      {
        key: 'township_health_centres',
        kinds: ['township_health_centre'],
        quote_path: null,
        reading: 'the 12 卫生院 of the authorised-bed table: one per 乡/镇 and the four branch 卫生院 it names',
      },
    ],
    totals: {
      beds_per_1000: { path: 'beds_2020.total', quote_path: 'beds_2020.quote' },
      physicians_per_1000: { path: 'staff_2020.physicians', quote_path: 'staff_2020.quote' },
      nurses_per_1000: { path: 'staff_2020.registered_nurses', quote_path: 'staff_2020.quote' },
      gps_per_10000: { path: 'staff_2020.gps', quote_path: 'staff_2020.quote' },
      // The plan's public-health indicator is 专业公共卫生机构人员 (its 0.51 per 1,000 is 111 people).
      public_health_staff_per_1000: { path: 'staff_2020.specialist_public_health_staff', quote_path: 'staff_2020.quote' },
    },
    // 编制床位 (authorised beds) of every public hospital and 卫生院 the plan names; the four branch 卫生院 stand at
    // the village of their name.
    facility_beds: [
      jingyuBeds('county_hospitals', '靖宇县人民医院', 'county:general_hospital'),
      jingyuBeds('county_hospitals', '靖宇县中医院', 'county:tcm_hospital'),
      jingyuBeds('township_and_mch', '靖宇县妇幼保健院', 'county:maternal_child_hospital'),
      jingyuBeds('township_and_mch', '靖宇县靖宇镇卫生院', 'township:220622100'),
      jingyuBeds('township_and_mch', '靖宇县靖宇镇保安卫生院', 'branch:220622100206'),
      jingyuBeds('township_and_mch', '靖宇县濛江乡卫生院', 'township:220622201'),
      jingyuBeds('township_and_mch', '靖宇县赤松镇卫生院', 'township:220622106'),
      jingyuBeds('township_and_mch', '靖宇县那尔轰镇卫生院', 'township:220622103'),
      jingyuBeds('township_and_mch', '靖宇县景山镇中心卫生院', 'township:220622105'),
      jingyuBeds('township_and_mch', '靖宇县景山镇西南岔卫生院', 'branch:220622105208'),
      jingyuBeds('township_and_mch', '靖宇县龙泉镇中心卫生院', 'township:220622102'),
      jingyuBeds('township_and_mch', '靖宇县花园口镇中心卫生院', 'township:220622104'),
      jingyuBeds('township_and_mch', '靖宇县花园口镇榆树川卫生院', 'branch:220622104209'),
      jingyuBeds('township_and_mch', '靖宇县三道湖镇卫生院', 'township:220622101'),
      jingyuBeds('township_and_mch', '靖宇县三道湖镇燕平卫生院', 'branch:220622101211'),
    ],
    remainder_beds_holder: {
      name: '靖宇县非公立医院（合计）',
      why:
        'the plan counts 626 beds but names facilities for 481 authorised beds; its bed table puts 160 beds in ' +
        'non-public hospitals (医院4个: two are not the public county hospitals), so one modelled non-public hospital ' +
        'at the county seat holds the rest',
    },
    unused: [
      {
        path: 'beds_2020.public_hospitals',
        reason: 'actual beds by ownership (365); the named public hospitals carry their authorised beds (430) instead',
      },
      { path: 'beds_2020.public_tcm_hospital', reason: 'actual beds of the TCM hospital (102); it carries its authorised 130 instead' },
      { path: 'beds_2020.county_public_hospitals_and_primary', reason: 'a sub-total by ownership the sample does not model' },
      {
        path: 'beds_2020.non_public_hospitals',
        reason: 'actual beds (160); the modelled non-public hospital holds what the named facilities leave of the total instead',
      },
      { path: 'staff_2020.pharmacists', reason: 'pharmacists: the sample holds no such attribute' },
      { path: 'staff_2020.tcm_physicians', reason: 'TCM physicians: the sample holds no such attribute' },
    ],
  },
  shangyou: {
    facility_counts: [
      {
        key: 'county_hospitals',
        kinds: ['general_hospital', 'tcm_hospital', 'maternal_child_hospital'],
        quote_path: 'facilities_2020.quote',
        reading: '县级公立医院: 人民医院, 中医院, 妇保院 (facilities_2020.county_hospitals_note)',
      },
      {
        key: 'township_health_centres',
        kinds: ['township_health_centre'],
        quote_path: 'facilities_2020.quote',
        reading: '乡镇卫生院 15 for 14 乡/镇: one per 乡/镇 and one 分院 (see branch_centre)',
      },
      {
        key: 'community_health_stations',
        kinds: ['community_health_station'],
        quote_path: 'facilities_2020.quote',
        reading: '社区卫生服务站 7: at 7 of the 17 resident committees (seeded)',
      },
      {
        key: 'village_clinics',
        kinds: ['village_clinic'],
        quote_path: 'facilities_2020.quote',
        reading: '村卫生室 184: one in each of the 121 villages the plan says have one, and second clinics in the largest villages',
      },
    ],
    villages_with_clinic: {
      path: 'facilities_2020.villages_with_public_village_clinic_built',
      quote_path: 'facilities_2020.other_quotes[2]',
    },
    branch_centre: {
      why:
        'the plan states 15 乡镇卫生院 twice (facilities_2020.quote, other_quotes[0]) for 14 乡/镇 and does not say which ' +
        'township has two, so the 15th is a modelled 分院 at the largest village of the most populous 乡/镇 other than ' +
        'the county seat',
    },
    totals: {},
    facility_beds: [],
    unused: [
      {
        path: 'resources_2020.staff_quota_2020',
        reason: 'a headcount quota (用人控制数) of the county public hospitals, not staff in post',
      },
      { path: 'resources_2020.staff_quota_2016', reason: 'the same quota in 2016, not a 2020 count' },
    ],
  },
};

/** The value at a path like `a.b[0].c` (keys may be Chinese names). */
export function valueAt(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const part of path.split('.')) {
    const m = /^(.*?)((?:\[\d+\])*)$/.exec(part)!;
    node = m[1] === '' ? node : (node as Record<string, unknown> | undefined)?.[m[1]!];
    for (const index of m[2]!.matchAll(/\[(\d+)\]/g)) node = (node as unknown[] | undefined)?.[Number(index[1])];
  }
  return node;
}
