/**
 * Which indicators each `doubtful_values[]` entry of the five seed plans is about, reviewed by hand against the
 * entry's issue text (not its quote: one quoted sentence often backs several indicators, and a note about one of
 * them must not show on the others). Keyed by the plan's `source` (its seed text) and the entry's exact `quote`.
 * An empty list means the entry concerns no indicator (a facility count, the population, the document itself):
 * it stays in the plan-level list. An entry with no quote is always plan-level.
 */
export const REVIEWED_DOUBT_INDICATORS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  // 山丹县
  '000_247927373e6f304d.txt': {
    '82个乡镇卫生院设施健全、制度完善、科室齐全': [], // a facility count
    '累计签约脱贫人口和“三类”重点监测对象 4915 户、14873 万人': [], // family-doctor contracts, no indicator
    '总投资 1582 万元、总建筑面积 3492.4 万平方米的山丹县中医医院急救救护能力建设项目建成投用': [], // a project
    '全县每千人常住人口床位数控制在 9.66 张': ['beds_per_1000'],
    '孕产妇死亡率控制在 11.91/10 万以下': ['maternal_mortality_per_100k'],
    '至“十四五”末提高 5 个百分点': ['health_literacy_pct'],
    '政府卫生投入占卫生总费用的比重 (%) | 47.91 | ≥35 | 预期性': ['govt_health_spending_share_pct'],
    '全面无烟法规保护的人口比例分别达到 50%以上': [], // smoke-free coverage is not an indicator of the plan
  },
  // 盐湖区
  '001_9c5659640fe9bc29.txt': {
    '所有乡镇卫生院、社区卫生服务中心以及村卫生室均能提供中医药服务': ['tcm_capable_primary_institutions_pct'],
    '重大慢病过早死亡率降低到8.5%以下': ['premature_chronic_mortality_pct'],
    // "hypertension/diabetes management": both rows of the table
    '确保高血压、糖尿病等重点慢性病规范管理率达70%以上': ['hypertension_mgmt_pct', 'diabetes_mgmt_pct'],
    '每千人执业 (助理) 医师数 (人) | 3.0 | 3.0 | 预期性': ['physicians_per_1000'],
    // "resource indicators say 每千人 / 每万人": the four health-resource rows of the table
    '每千人医疗卫生机构床位数 (张) | 4.7 | 7.0 | 预期性': ['beds_per_1000', 'physicians_per_1000', 'nurses_per_1000', 'gps_per_10000'],
    '以乡(镇)为单位适龄儿童免疫规划疫苗（%） | 90 | 95以上 | 预期性': ['immunization_coverage_pct', 'primary_care_visit_share_pct'],
    对14所乡镇卫生院和97个村级卫生室进行了改扩建: [], // a facility count
    '社区建设15分钟健身圈活动场地覆盖率达100%': [], // a fitness circle, not a health-service circle
    '人均预期寿命 (岁) * | 77.5 | 79.0 | 预期性': ['life_expectancy'],
    '县域就诊率 (%) | 91.7 | 90以上 | 约束性': ['county_retention_rate_pct', 'pre_pregnancy_check_coverage_pct'],
  },
  // 平坝区
  '002_7652db6a697673a0.txt': {
    // registered-basis baselines against resident-basis targets: the three rows with both
    '平均每千户籍人口拥有卫技人员 6.5 人、执业（助理）医师 2.7 人、注册护士 3.8 人、床位数 5.6 张': [
      'beds_per_1000',
      'physicians_per_1000',
      'nurses_per_1000',
    ],
    '到 2025 年，实现城乡每万人口配备 3 名全科医生': ['gps_per_10000'],
    '2021年1月至9月住院分娩率保持在100%以上': ['rural_hospital_delivery_pct'],
    // the plan's own count of public-health staff, not used for the ratio's numerator
    '各类公共卫生及传染病防治人员 1644 人': ['public_health_staff_per_1000'],
    // maternal and child baselines dated Jan–Sep 2021: the rows whose baseline comes from that sentence
    '2021年1月至9月住院分娩率保持在100%以上，孕产妇系统管理率97%以上、儿童系统管理率达90%，新生儿死亡率0.46‰，婴儿死亡率1.82‰，5岁以下儿童死亡率3.19‰':
      [
        'infant_mortality_permille',
        'under5_mortality_permille',
        'neonatal_mortality_permille',
        'maternal_system_mgmt_pct',
        'under3_child_mgmt_pct',
      ],
    '领域 | 指标 | 2025 目标 | 属性': [], // the whole table has no baseline column
    '保持全区国家免疫规划疫苗接种率 $\\geq 95\\%$': ['immunization_5vaccines_pct'],
    '针对全区 81 个行政村开展健康扶贫工作督查': [], // a village count
    '全区共有中医类床位数 288 张，每千人拥有中医床位数 1.04 张': [], // the implied population, not an indicator
    '医疗机构实际开放床位 1656 余张': ['beds_per_1000'], // the bed count the sample's beds are sized to
  },
  // 靖宇县
  '003_96557450fec43a1c.txt': {
    每万人口全科医生数600人: ['gps_per_10000'],
    // the main table's 2020 column against the count-backed values, for these six rows
    '每千人口执业（助理）医师数（人） | 5.23 | 5.25 | 预期性': [
      'physicians_per_1000',
      'nurses_per_1000',
      'gps_per_10000',
      'nurse_to_physician_ratio',
      'bed_to_staff_ratio',
      'tcm_physicians_per_1000',
    ],
    '每千人口公立中医医院床位数（张） | 4.70 | 1.19左右 | 预期性': ['public_tcm_hospital_beds_per_1000'],
    '626 | 2.88 | 7.25左右 | 365 | 1.68 | 3.95左右 | 446 | 2.06 | 4.58左右 | 102 | 4.7 | 1.19左右 | 160 | 7.37 | 2.6左右': [
      'non_public_hospital_beds_per_1000',
    ],
    // 49 GPs and 41 TCM physicians imply ~58,000 people
    '111 | 0.51 | 1.15 | 409 | 1.88 | 5.25 | 436 | 2.01 | 5.65 | 1：1.07 | 1：1.20 | 1：2.07 | 1：1.85 | 56 | 0.26 | 0.54 | 49 | 8.45 | 6.0 | 41 | 0.71 | 1.08':
      ['gps_per_10000', 'tcm_physicians_per_1000'],
    '每千人口医疗卫生机构床位数（张） | 2.88 | 7.25左右 | 预期性': ['physicians_per_1000', 'nurses_per_1000', 'beds_per_1000'],
    '到2025年，二级以上综合性医院开设老年医学科': ['geriatric_dept_share_secondary_general_pct'],
    '根据需要规划设置儿童、精神、妇产、肿瘤、传染病、康复等市办专科医院（含中医类专科医院）': [], // template text
    '靖宇县中医院 | 130 | 130': ['public_hospital_beds_per_1000', 'public_tcm_hospital_beds_per_1000'],
  },
  // 上犹县
  '004_2ec91ca39f6c96f4.txt': {
    '截至2020年底，我县共有医疗卫生机构269所，其中县级公立医院3所，乡镇卫生院15所、疾控中心1个，专科防治所2所，社区卫生服务站7所、村卫生室184所，民营医院4处，其他医疗机构59所':
      [], // facility counts
    '二级综合医院平均住院日 | 天 | 7.1 | 7.4 | 约束性': ['avg_length_of_stay_secondary_general_days'],
    '人均预期寿命 | 岁 |  | 78.1左右 | 预期性': ['life_expectancy'],
    '适龄儿童免疫规划疫苗接种率 | % | 95.3 | ≥90 | 约束性': ['immunization_coverage_pct', 'prenatal_screening_pct'],
    '“十三五”期末，我县每千人口医疗卫生机构床位数5.05张，每千常住人口拥有执业（助理）医师2.37人、注册护士2.63人，每万人口全科医生1.41人，较“十三五”期初分别增长44%、94.27%、71.9%和46%':
      ['beds_per_1000'],
    实施犹县人民医院感染楼建设工程: ['nucleic_acid_capability_pct'], // the "县人民医" typo is in this row's name
    '（征求意见稿）': [], // the document is a draft
    '构建起了乡村30分钟、县城区域15分钟医疗卫生服务圈': [], // service circles, not an indicator
  },
};

/**
 * Where several entries of a seed plan share one quote, the entry's exact `issue` tells them apart: Jingyu
 * quotes its 2015–2020 sentence for the GP target below the 8.45 baseline and for the physicians' and nurses'
 * fall while GPs rose. (The index would shift in a custom plan that deletes an entry; the issue does not.)
 */
export const REVIEWED_SHARED_QUOTES: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>>> = {
  '003_96557450fec43a1c.txt': {
    '2015—2020年，全县每千常住人口执业（助理）医师数从2.84人下降到1.88人，每千常住人口注册护士数从2.35人下降到2.01人，每万人口全科医生数从1.03人增长到8.45人':
      {
        'GP target 6.0 per 10,000 is below the 2020 value 8.45 (a planned decline).': ['gps_per_10000'],
        'The physician ratio FELL from 2.84 to 1.88 per 1000 over 2015–2020 (and nurses 2.35 -> 2.01) while GPs rose from 1.03 to 8.45 per 10,000. This is internally odd.':
          ['physicians_per_1000', 'nurses_per_1000', 'gps_per_10000'],
      },
  },
};
