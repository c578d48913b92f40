package org.epiloop.shared;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * Every stable error {@code code} the API answers with (the {@code code} of its problem JSON),
 * with the HTTP status it comes with and a plain sentence in Chinese and English for the pages.
 * The OpenAPI document enumerates these codes, and {@code /js/messages.js} hands the sentences to
 * the pages, so a person reads words instead of a code.
 *
 * <p>Call sites still pass the code as a string literal; {@code ProblemCodeTest} scans the sources
 * and fails when a thrown code is missing here (or thrown with another status), so this list
 * stays complete. A code keeps its meaning for ever: clients act on it.
 */
public enum ProblemCode {

  // ---- any request
  FIELD_REQUIRED("缺少必填项", "Something required is missing.", HttpStatus.BAD_REQUEST),
  VALIDATION_FAILED("输入有误", "A value is not valid. Check it and try again.", HttpStatus.BAD_REQUEST),
  MALFORMED_REQUEST("输入有误", "The request could not be read. Try again.", HttpStatus.BAD_REQUEST),
  INVALID_PARAMETER("输入有误", "A value is not valid. Check it and try again.", HttpStatus.BAD_REQUEST),
  HEADER_REQUIRED("缺少请求头", "A required request header is missing.", HttpStatus.BAD_REQUEST),
  TOO_MANY("数量太多", "Too many items in one request. Send fewer at a time.", HttpStatus.BAD_REQUEST),
  UNAUTHORIZED("登录已过期", "Please log in again.", HttpStatus.UNAUTHORIZED),
  FORBIDDEN("无权操作", "Your account may not do this.", HttpStatus.FORBIDDEN),
  OUT_OF_SCOPE("无权操作", "This belongs to another site or lab than yours.", HttpStatus.FORBIDDEN),
  NOT_FOUND("找不到", "Not found.", HttpStatus.NOT_FOUND),
  METHOD_NOT_ALLOWED("不支持此操作", "This action is not possible here.", HttpStatus.METHOD_NOT_ALLOWED),
  NOT_ACCEPTABLE("格式不支持", "The server cannot answer in the requested format.", HttpStatus.NOT_ACCEPTABLE),
  UNSUPPORTED_MEDIA_TYPE("格式不支持", "The server does not accept this kind of data.", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  RATE_LIMITED("请求太频繁", "Too many tries. Wait a minute and try again.", HttpStatus.TOO_MANY_REQUESTS),
  INVALID_CHARACTER("含有无效字符", "A value holds a character that cannot be used here (a control character or broken text).", HttpStatus.BAD_REQUEST),
  MALFORMED_QUERY("地址有误", "The address (its query) could not be read. Check it and try again.", HttpStatus.BAD_REQUEST),
  REQUEST_REJECTED("请求被拒绝", "The request was refused as unsafe (for example a header with characters that are not allowed).", HttpStatus.BAD_REQUEST),
  DATABASE_UNAVAILABLE("系统暂时不可用", "The system is briefly unavailable. Your scan is kept: it is sent again in a few seconds.", HttpStatus.SERVICE_UNAVAILABLE),
  INTERNAL_ERROR("系统出错", "Something went wrong on the server. Try again; if it keeps happening, call support.", HttpStatus.INTERNAL_SERVER_ERROR),

  // ---- retried requests (Idempotency-Key)
  IDEMPOTENCY_KEY_REQUIRED("缺少扫描编号", "This request needs an Idempotency-Key header.", HttpStatus.BAD_REQUEST),
  INVALID_IDEMPOTENCY_KEY("扫描编号无效", "The Idempotency-Key header must be a UUID.", HttpStatus.BAD_REQUEST),
  IDEMPOTENCY_KEY_REUSED("扫描编号冲突", "This scan clashed with an earlier one. Scan again.", HttpStatus.UNPROCESSABLE_CONTENT),
  IDEMPOTENCY_IN_PROGRESS("正在处理", "The same request is still being handled. Wait a moment.", HttpStatus.CONFLICT),

  // ---- logins and accounts
  BAD_CREDENTIALS("用户名或密码错误", "Wrong username or password.", HttpStatus.UNAUTHORIZED),
  INVALID_CODE("验证码或编码无效",
      "The code is not valid: a text-message code that is wrong, used or expired, or a code of 2–32 letters, digits, '-' or '_'.",
      HttpStatus.BAD_REQUEST, HttpStatus.UNAUTHORIZED, HttpStatus.UNPROCESSABLE_CONTENT),
  OTP_RATE_LIMITED("发送太频繁", "Too many codes for this number. Wait a minute and ask again.", HttpStatus.TOO_MANY_REQUESTS),
  INVALID_PHONE("手机号不正确", "That is not a mainland mobile number (11 digits, starting with 1).", HttpStatus.BAD_REQUEST),
  INVALID_USERNAME("用户名无效", "A username is 3–64 lower-case letters, digits, '.', '_' or '-'.", HttpStatus.BAD_REQUEST),
  WEAK_PASSWORD("密码太弱", "The password needs at least 12 characters and must not be a common one.", HttpStatus.BAD_REQUEST),
  PASSWORD_TOO_LONG("密码太长", "The password may have at most 72 bytes (about 24 Chinese characters).", HttpStatus.BAD_REQUEST),
  WRONG_PASSWORD("当前密码错误", "The current password is wrong.", HttpStatus.BAD_REQUEST),
  TOTP_REQUIRED("请输入动态验证码", "Enter the 6-digit code from your authenticator app.", HttpStatus.UNAUTHORIZED),
  INVALID_TOTP("动态验证码错误", "The code from the authenticator app is wrong or was already used. Wait for the next one.", HttpStatus.UNAUTHORIZED),
  LOGIN_LOCKED("账号暂时锁定", "Too many failed logins for this account. Wait until the time shown and try again.", HttpStatus.TOO_MANY_REQUESTS),
  LOGIN_RATE_LIMITED("登录太频繁", "Too many failed logins from here. Wait a while and try again.", HttpStatus.TOO_MANY_REQUESTS),
  USER_NOT_FOUND("没有这个账号", "No account with this username.", HttpStatus.NOT_FOUND),
  CANNOT_DISABLE_SELF("不能停用自己", "You cannot disable your own account.", HttpStatus.CONFLICT),
  INVALID_RELATION("关系无效", "Choose who the person is: yourself or a family member.", HttpStatus.BAD_REQUEST),
  LINK_NOT_FOUND("没有这个添加请求", "This request to add a person does not exist or has expired. Add the person again.", HttpStatus.NOT_FOUND),
  LINK_CHANGED("情况已变化", "The person's record changed since you asked. Add the person again.", HttpStatus.CONFLICT),
  LINK_RATE_LIMITED("添加太频繁", "Too many requests to add persons. Wait until the time shown and try again.", HttpStatus.TOO_MANY_REQUESTS),
  SELF_ALREADY_ON_ACCOUNT("本人已在账号中", "This account already holds its own person; add others as family members.", HttpStatus.CONFLICT),
  SMS_UNAVAILABLE("短信暂时发不出", "The text message could not be sent just now. Try again in a moment.", HttpStatus.SERVICE_UNAVAILABLE),
  SMS_REJECTED("短信被拒收", "The text message service refused this number. Check the number.", HttpStatus.BAD_GATEWAY),
  NO_SMS_OUTBOX("没有开发短信箱", "The development text-message outbox is not in use here.", HttpStatus.NOT_FOUND),
  NO_SMS_PROVIDER("未配置短信服务", "No text-message provider is configured.", HttpStatus.NOT_FOUND),
  INVALID_SIGNATURE("签名无效", "The request's signature is wrong or too old.", HttpStatus.UNAUTHORIZED),
  INVALID_RECEIPT("回执无效", "The delivery receipt could not be read.", HttpStatus.BAD_REQUEST),
  USERNAME_TAKEN("用户名已存在", "This username is taken. Choose another.", HttpStatus.CONFLICT),
  INVALID_ROLE("角色无效", "Choose a role from the list.", HttpStatus.BAD_REQUEST),

  // ---- directory: districts, sites, labs
  UNKNOWN_DISTRICT("居住区不存在", "The district is not known. Choose it from the list.", HttpStatus.BAD_REQUEST),
  UNKNOWN_SITE("没有这个采样点", "The site is not known. Choose it from the list.", HttpStatus.BAD_REQUEST),
  UNKNOWN_LAB("没有这个实验室", "The lab is not known. Choose it from the list.", HttpStatus.BAD_REQUEST),
  DISTRICT_EXISTS("居住区已存在", "A district with this code exists already.", HttpStatus.CONFLICT),
  SITE_EXISTS("采样点已存在", "A site with this code exists already.", HttpStatus.CONFLICT),
  LAB_EXISTS("实验室已存在", "A lab with this code exists already.", HttpStatus.CONFLICT),
  DISTRICT_NOT_FOUND("没有这个居住区", "No district with this code.", HttpStatus.NOT_FOUND),
  LAB_NOT_FOUND("没有这个实验室", "No lab with this code.", HttpStatus.NOT_FOUND),
  INVALID_COORDINATES("位置无效", "Latitude is −90…90 and longitude −180…180, as decimal degrees.", HttpStatus.BAD_REQUEST),
  INVALID_OUTLINE("区轮廓无效", "The outline is not a GeoJSON Polygon or MultiPolygon of [longitude, latitude] points, each ring closed (it ends where it starts).", HttpStatus.BAD_REQUEST),
  INVALID_CAPACITY("人数无效", "The capacity is not valid (a tube holds 1, 5, 10 or 20 people; a lab's daily capacity is above 0).", HttpStatus.BAD_REQUEST),
  INVALID_DAY("日期无效", "Give the day as a date like 2026-11-22.", HttpStatus.BAD_REQUEST),

  // ---- persons
  INVALID_ID_TYPE("证件类型不正确", "Choose the kind of ID from the list.", HttpStatus.BAD_REQUEST),
  INVALID_ID_NUMBER("证件号码不正确", "The ID number is not valid. Check it against the document.", HttpStatus.BAD_REQUEST),
  INVALID_NAME("姓名不正确", "Write the name as on the document (1–64 characters).", HttpStatus.BAD_REQUEST),
  NAME_MISMATCH("姓名与证件不符", "This ID is registered under another name. Write the name exactly as on the document.", HttpStatus.CONFLICT),
  PERSON_NOT_FOUND("找不到此人", "No such person.", HttpStatus.NOT_FOUND),
  APPOINTMENT_NOT_FOUND("预约码无效或已过期", "The appointment code is not valid or has expired. Scan the ID card instead.", HttpStatus.NOT_FOUND),

  // ---- sampling
  INVALID_TUBE_CODE("试管条码无效", "That is not a tube barcode (4–32 letters, digits or \"-\").", HttpStatus.BAD_REQUEST),
  TUBE_EXISTS("试管已被使用", "This tube was already used. Take a new tube.", HttpStatus.CONFLICT),
  TUBE_NOT_FOUND("没有这支试管", "No tube with this code. Scan it as a new tube first.", HttpStatus.NOT_FOUND),
  TUBE_SEALED("试管已封", "This tube is sealed. Scan a new tube.", HttpStatus.CONFLICT),
  TUBE_EMPTY("空管不能封", "Nobody is in this tube yet, so there is nothing to seal.", HttpStatus.CONFLICT),
  ALREADY_IN_TUBE("此人已在本管", "This person is already in this tube. Nothing was added.", HttpStatus.CONFLICT),
  SAMPLED_IN_ROUND("12小时内已采样", "This person was sampled in the last 12 hours. Sample again only if you are told to.", HttpStatus.CONFLICT),
  BINDING_NOT_FOUND("记录已移除", "This person was already removed from the tube.", HttpStatus.NOT_FOUND),
  INVALID_REASON("原因无效", "The reason is not valid (too long, or not one of the listed reasons).", HttpStatus.BAD_REQUEST),

  // ---- transport
  INVALID_BOX_CODE("箱码无效", "That is not a box barcode (4–32 letters, digits or \"-\"). Scan the label on the box.", HttpStatus.BAD_REQUEST),
  BOX_NOT_FOUND("没有这个箱子", "No box with this code. Check the label.", HttpStatus.NOT_FOUND),
  BOX_IN_USE("箱子正在使用", "This box is still in use; a lab must receive it before it travels again.", HttpStatus.CONFLICT),
  BOX_NOT_OPEN("箱子已封", "This box is not open; open it again to pack tubes.", HttpStatus.CONFLICT),
  BOX_EMPTY("空箱不能封", "There are no tubes in this box, so there is nothing to seal.", HttpStatus.CONFLICT),
  BOX_NOT_SEALED("箱子尚未封箱或已交接", "This box is not sealed, or it was already delivered.", HttpStatus.CONFLICT),
  BOX_NOT_IN_TRANSIT("箱子不在运输中", "This box is not on the road any more (already delivered or received).", HttpStatus.CONFLICT),
  BOX_ALREADY_RECEIVED("箱子已收样", "This box was already received (here or by another lab). It cannot be opened twice.", HttpStatus.CONFLICT),
  TUBE_NOT_SEALED("试管未封", "This tube is not sealed yet. Seal it at the station first.", HttpStatus.CONFLICT),
  TUBE_IN_OTHER_BOX("试管在另一个箱子里", "This tube is already packed in another box.", HttpStatus.CONFLICT),
  TUBE_FROM_OTHER_SITE("试管来自其他采样点", "This tube was sampled at another site.", HttpStatus.CONFLICT),

  // ---- lab
  RECEIPT_NOT_FOUND("此箱未在本实验室开箱", "This box is not open at this lab. Scan the box first.", HttpStatus.NOT_FOUND),
  RECEIPT_CLOSED("收样已完成", "The receipt of this box is closed; no more tubes can be checked in.", HttpStatus.CONFLICT),
  TUBE_NOT_RECEIVED("不能拒收", "This tube was not checked in from this box, or it is already on a plate.", HttpStatus.CONFLICT),
  TUBE_NOT_AVAILABLE("试管不可上板",
      "Some tubes are not received and waiting at this lab (rejected, on another plate, or tested). Take them off the plate.", HttpStatus.CONFLICT),
  PLATE_IN_USE("板号正在使用", "This plate code is on a run that is not finished. Use another plate.", HttpStatus.CONFLICT),
  INVALID_WELL("孔位无效", "Wells are A1 to H12.", HttpStatus.BAD_REQUEST),
  INVALID_WELL_CONTENT("孔位内容无效", "A well holds either a tube or a control.", HttpStatus.BAD_REQUEST),
  INVALID_CONTROL("对照无效", "A control is POSITIVE or NEGATIVE.", HttpStatus.BAD_REQUEST),
  DUPLICATE_WELL("孔位重复", "A well is used twice.", HttpStatus.BAD_REQUEST),
  DUPLICATE_TUBE("试管重复", "A tube is on the plate twice.", HttpStatus.BAD_REQUEST),
  TOO_MANY_WELLS("孔位过多", "A plate has 96 wells.", HttpStatus.BAD_REQUEST),
  NO_SAMPLES("板上没有样本", "Put at least one tube on the plate.", HttpStatus.BAD_REQUEST),
  CONTROLS_REQUIRED("缺少对照", "A plate needs a positive and a negative control.", HttpStatus.BAD_REQUEST),
  INVALID_INSTRUMENT_FILE("仪器文件无法读取", "The instrument file could not be read. Export it again as CSV (Well, Target, Ct).", HttpStatus.BAD_REQUEST),
  MISSING_WELLS("文件缺少孔位", "The file has no results for some wells on this plate. Is it the export of this plate?", HttpStatus.BAD_REQUEST),
  INVALID_CT("Ct 值无效", "Ct values lie between 0 and 60.", HttpStatus.BAD_REQUEST),
  RUN_NOT_FOUND("没有这个批次", "No run with this id.", HttpStatus.NOT_FOUND),
  RESULTS_ALREADY_ENTERED("结果已录入", "This run already has different results. They cannot be replaced.", HttpStatus.CONFLICT),
  RUN_NOT_REVIEWABLE("此批次无需审核",
      "This run has no results waiting for approval (not entered yet, controls failed, or already released).", HttpStatus.CONFLICT),
  SAME_USER("不能审核自己录入的结果", "Results must be approved by someone other than who entered them. Ask another reviewer.", HttpStatus.CONFLICT),

  // ---- lab quality: control lots and Westgard rules, kit lots, instruments (ADR 0026)
  QC_REJECTED("质控失控，不能发布",
      "A control value of this run broke a Westgard rejection rule. Record the corrective action first, then release.", HttpStatus.CONFLICT),
  QC_NOT_REJECTED("此批次质控未失控", "This run has no QC rejection to correct.", HttpStatus.CONFLICT),
  INVALID_QC_TARGET("靶标无效", "The target is ORF1ab, N or IC, each once.", HttpStatus.BAD_REQUEST),
  INVALID_NUMBER("数值无效", "A number is outside its range (see the field).", HttpStatus.BAD_REQUEST),
  INVALID_LAB_TEXT("名称或说明无效", "A name is 1–100 characters, a corrective action 1–500.", HttpStatus.BAD_REQUEST),
  LOT_EXISTS("批号已登记", "This lot number is registered at this lab already.", HttpStatus.CONFLICT),
  CONTROL_LOT_NOT_FOUND("没有这个质控品批号", "No control lot with this number and target at this lab.", HttpStatus.NOT_FOUND),
  INVALID_REAGENT_KIND("类别无效", "A lot is a KIT (counted in reactions) or a CONSUMABLE.", HttpStatus.BAD_REQUEST),
  REAGENT_LOT_REQUIRED("请选择试剂批号", "This lab keeps its kit lots in Epiloop: choose the kit lot this plate uses.", HttpStatus.BAD_REQUEST),
  REAGENT_LOT_UNKNOWN("没有这个试剂批号", "This lab has no kit lot with this number. Check the label on the kit box.",
      HttpStatus.UNPROCESSABLE_CONTENT),
  REAGENT_LOT_EXPIRED("试剂已过期，不能使用", "This kit lot is past its expiry date. Take a lot that is in date.", HttpStatus.UNPROCESSABLE_CONTENT),
  REAGENT_LOT_EMPTY("试剂余量不足", "This kit lot has fewer reactions left than the plate has wells. Open a new lot.",
      HttpStatus.UNPROCESSABLE_CONTENT),
  INVALID_INSTRUMENT_KIND("仪器类别无效", "The kind is PCR cycler, extractor, biosafety cabinet, centrifuge or freezer.", HttpStatus.BAD_REQUEST),
  CYCLER_REQUIRED("请选择扩增仪", "This lab keeps its cyclers in Epiloop: choose the PCR cycler this plate runs on.", HttpStatus.BAD_REQUEST),
  INSTRUMENT_UNKNOWN("没有这台仪器", "This lab has no instrument with this code.", HttpStatus.UNPROCESSABLE_CONTENT),
  INSTRUMENT_NOT_A_CYCLER("不是扩增仪", "This instrument is not a PCR cycler. Choose a cycler.", HttpStatus.UNPROCESSABLE_CONTENT),
  INSTRUMENT_CALIBRATION_OVERDUE("仪器校准已过期，不能使用",
      "This cycler is past its calibration date. Calibrate it (and update its date) or use another cycler.", HttpStatus.UNPROCESSABLE_CONTENT),
  INVALID_STOCK_MOVEMENT("库存变动类别无效", "A stock movement is RESTOCK (received), CONSUMED (used outside a run) or WRITTEN_OFF (damaged, lost, expired).",
      HttpStatus.BAD_REQUEST),
  REAGENT_LOT_NOT_FOUND("没有这个试剂批号", "This lab has no reagent or consumable lot with this number.", HttpStatus.NOT_FOUND),
  // a lab lot taking off, or a warehouse sending, more than it holds: nothing moved (the detail names the figures)
  STOCK_INSUFFICIENT("库存不足", "There is less in stock than asked: nothing was taken or sent. Check the count, take fewer or restock first.",
      HttpStatus.UNPROCESSABLE_CONTENT),

  // ---- results
  NO_RESULTS("查无结果", "No result for this ID number and name. Check both, or try again later.", HttpStatus.NOT_FOUND),
  RESULT_NOT_FOUND("没有这个已发布的结果", "No released result with this id.", HttpStatus.NOT_FOUND),
  AMENDMENT_UNCHANGED("结果未改变", "The result already has this value: nothing to correct.", HttpStatus.UNPROCESSABLE_CONTENT),
  AMENDMENT_OPEN("已有待审核的更正", "This result already has a correction waiting for a second reviewer. Approve or reject it first.",
      HttpStatus.CONFLICT),
  AMENDMENT_NOT_FOUND("没有这个更正", "No such correction.", HttpStatus.NOT_FOUND),
  AMENDMENT_DECIDED("更正已处理", "This correction was already approved or rejected.", HttpStatus.CONFLICT),
  AMENDMENT_SAME_REVIEWER("不能批准自己提出的更正", "A correction must be approved by another reviewer than who proposed it.",
      HttpStatus.CONFLICT),
  AMENDMENT_STALE("结果已变化", "The result changed since this correction was proposed. Propose it again.", HttpStatus.CONFLICT),

  // ---- delivery to the province
  DELIVERY_NOT_FOUND("没有这条报送", "No such delivery to the province.", HttpStatus.NOT_FOUND),
  DELIVERY_NOT_DEAD("此报送未被拒收", "Only deliveries the province refused can be sent again.", HttpStatus.CONFLICT),

  // ---- certificates and results from outside (ADR 0025)
  NOT_CERTIFIABLE("此结果不能出证", "Only a released negative or positive result that still stands can be certified.", HttpStatus.CONFLICT),
  FHIR_INVALID("数据不符合规范", "The FHIR data does not meet the exchange profile; the OperationOutcome names the problem.", HttpStatus.UNPROCESSABLE_CONTENT),
  FHIR_MALFORMED("数据无法解析", "The FHIR data could not be read as a JSON Bundle.", HttpStatus.BAD_REQUEST),
  REPORT_NOT_FOUND("没有这个报告", "No diagnostic report with this id that you may read.", HttpStatus.NOT_FOUND),
  // ---- health codes, venues, cases
  INVALID_COLOR("颜色无效", "The colour is GREEN, YELLOW or RED.", HttpStatus.BAD_REQUEST),
  INVALID_DURATION("时长无效", "The duration is 1 to 720 hours.", HttpStatus.BAD_REQUEST),
  INVALID_SETTING("设置值无效", "This value is not valid for the setting.", HttpStatus.BAD_REQUEST),
  UNKNOWN_SETTING("没有这个设置", "No rule setting with this name.", HttpStatus.BAD_REQUEST),
  INVALID_TOKEN("健康码无效", "This is not a health-code token (at most 4096 characters).", HttpStatus.BAD_REQUEST),
  INVALID_VERDICT("查验结果无效", "The verdict is ADMITTED or REFUSED.", HttpStatus.BAD_REQUEST),
  INVALID_VENUE_TOKEN("场所码无效", "This is not a venue code of Epiloop, or it was mistyped. Scan it again.", HttpStatus.BAD_REQUEST),
  INVALID_VENUE_NAME("场所名称无效", "Give the venue's name (1–100 characters).", HttpStatus.BAD_REQUEST),
  INVALID_VENUE_KIND("场所类型无效", "Choose the kind of venue from the list.", HttpStatus.BAD_REQUEST),
  INVALID_TEST_WINDOW("核酸时限无效", "The negative-test window is a number of hours (1–720), or empty.", HttpStatus.BAD_REQUEST),
  VENUE_NOT_FOUND("没有这个场所", "No such venue.", HttpStatus.NOT_FOUND),
  CASE_EXISTS("病例已存在", "This person is a confirmed case already.", HttpStatus.CONFLICT),
  CASE_NOT_FOUND("没有这个病例", "No such case.", HttpStatus.NOT_FOUND),
  CONFIRMED_AT_IN_FUTURE("确诊时间无效", "The confirmation time lies in the future.", HttpStatus.BAD_REQUEST),
  INVALID_TIMESTAMP("时间无效", "The time is not valid (ISO-8601, and not in the future).", HttpStatus.BAD_REQUEST),
  INVALID_DATE("日期无效", "The date is not valid (YYYY-MM-DD).", HttpStatus.BAD_REQUEST),
  PERSON_RECALLED("需单管复检", "This person is recalled for a single-tube retest: put them in a new single tube, not a pool.", HttpStatus.CONFLICT),
  // ---- environment monitoring (L6)
  UNKNOWN_MEASURE("没有这种测量项", "The measure must be temperature, humidity or pressure difference.", HttpStatus.BAD_REQUEST),
  UNKNOWN_DEVICE("没有这个设备", "This lab has no such device. Add it on the lab director's page first.", HttpStatus.UNPROCESSABLE_CONTENT),
  UNKNOWN_ROOM("没有这个房间", "This lab has no such room. Add the room first.", HttpStatus.UNPROCESSABLE_CONTENT),
  READING_OUT_OF_TIME("读数时间不对", "A reading is in the future or more than 7 days old: check the gateway's clock.", HttpStatus.UNPROCESSABLE_CONTENT),
  ROOM_EXISTS("房间已存在", "This lab has a room with this code already.", HttpStatus.CONFLICT),
  DEVICE_EXISTS("设备已存在", "This lab has a device with this code already.", HttpStatus.CONFLICT),
  DEVICE_NOT_FOUND("没有这个设备", "This lab has no device with this code.", HttpStatus.NOT_FOUND),
  INVALID_THRESHOLD("阈值有误", "The lower limit must be below the upper limit.", HttpStatus.BAD_REQUEST),
  GATEWAY_NOT_FOUND("没有这个网关", "This lab has no active gateway with this id.", HttpStatus.NOT_FOUND),
  // ---- sample bank (L7)
  TUBE_NOT_KEPT("此管不入样本库", "This tube is not one the lab keeps (not released here, or a negative outside the sample): it goes with the routine waste.", HttpStatus.UNPROCESSABLE_CONTENT),
  TUBE_ALREADY_STORED("此管已入库", "This tube is stored at another position already.", HttpStatus.CONFLICT),
  TUBE_DISPOSED("此管已销毁", "This tube was disposed of.", HttpStatus.CONFLICT),
  POSITION_TAKEN("位置已占用", "This storage position holds another tube. Scan a free position.", HttpStatus.CONFLICT),
  TUBE_NOT_STORED("此管不在库中", "This tube is not stored in this lab's bank.", HttpStatus.UNPROCESSABLE_CONTENT),
  RETENTION_NOT_OVER("保存期未满", "This tube's retention period is not over: it may not be disposed of yet.", HttpStatus.UNPROCESSABLE_CONTENT),
  // ---- booked submissions (L9)
  INVALID_SLOT("预约时段有误", "A slot ends after it starts, at most 12 hours later, and not in the past.", HttpStatus.BAD_REQUEST),
  ALERT_NOT_FOUND("没有这个预警", "No such alert (only stored alerts can be acknowledged; the others clear themselves).", HttpStatus.NOT_FOUND),
  ALERT_NOT_ACKNOWLEDGED("请先接收预警", "Acknowledge the alert before resolving it.", HttpStatus.CONFLICT),
  ALERT_ALREADY_ACKNOWLEDGED("预警已被接收", "Someone has already acknowledged this alert.", HttpStatus.CONFLICT),
  ALERT_ALREADY_RESOLVED("预警已处理", "This alert is already resolved.", HttpStatus.CONFLICT),
  INVALID_NOTE("备注无效", "The note is too long or holds characters that cannot be used.", HttpStatus.BAD_REQUEST),
  CONTACT_NOT_FOUND("不在追踪名单上", "This person is not on the case's tracing list.", HttpStatus.NOT_FOUND),
  STREAM_TICKET_INVALID("实时连接已过期", "The live connection's ticket is wrong, used or expired; the page gets a new one.", HttpStatus.UNAUTHORIZED),
  INVALID_CURSOR("翻页标记无效", "The page cursor is not valid. Start again from the first page.", HttpStatus.BAD_REQUEST),
  INVALID_LIMIT("每页数量无效", "The page size is not valid (1 to the largest page).", HttpStatus.BAD_REQUEST),

  // ---- risk areas, declarations and grid follow-up (issue 18)
  UNKNOWN_GRID("没有这个网格", "The grid is not known. Choose it from the list.", HttpStatus.BAD_REQUEST),
  GRID_EXISTS("网格已存在", "A grid with this code exists already.", HttpStatus.CONFLICT),
  INVALID_REGION_CODE("地区代码无效", "A region code has 6 digits (GB/T 2260, e.g. 420106), or 9 or 12 for a street.", HttpStatus.BAD_REQUEST),
  INVALID_RISK_LEVEL("风险等级无效", "The risk level is HIGH, MEDIUM or LOW.", HttpStatus.BAD_REQUEST),
  RISK_AREA_NOT_FOUND("没有这个风险区", "No such risk area.", HttpStatus.NOT_FOUND),
  RISK_AREA_ENDED("风险区已结束", "This risk area was ended already.", HttpStatus.CONFLICT),
  INVALID_SYMPTOM("症状无效", "Choose the symptoms from the list.", HttpStatus.BAD_REQUEST),
  EMPTY_DECLARATION("申报内容为空", "Declare an arrival, symptoms or a contact with a case.", HttpStatus.BAD_REQUEST),
  INVALID_TRANSPORT("交通方式无效", "Choose how you travelled from the list.", HttpStatus.BAD_REQUEST),
  TASK_NOT_FOUND("没有这个任务", "No such follow-up task.", HttpStatus.NOT_FOUND),
  TASK_DONE("任务已完成", "This task is done already.", HttpStatus.CONFLICT),
  INVALID_FOLLOW_UP_METHOD("随访方式无效", "A follow-up is a VISIT or a CALL.", HttpStatus.BAD_REQUEST),
  INVALID_OBSERVATION_DAYS("居家观察天数无效",
      "Home observation lasts 1–30 days, and is set only for a person reached on a task other than home observation.", HttpStatus.BAD_REQUEST),
  NOT_UNDER_OBSERVATION("未在居家观察中", "This person is not under home observation.", HttpStatus.CONFLICT),
  INVALID_TEMPERATURE("体温无效", "A temperature is 34.0–43.0 °C, with at most one decimal.", HttpStatus.BAD_REQUEST),

  // ---- supplies (G1)
  HOLDER_NOT_FOUND("找不到仓库、采样点或实验室", "No such warehouse, site or lab.", HttpStatus.NOT_FOUND),
  WAREHOUSE_EXISTS("仓库已存在", "A warehouse with this code exists already.", HttpStatus.CONFLICT),
  // STOCK_INSUFFICIENT (a warehouse sending more than it holds) is the lab stock's code above
  SUPPLY_REQUEST_NOT_FOUND("找不到物资申请", "No such supply request.", HttpStatus.NOT_FOUND),
  SUPPLY_REQUEST_STATE("物资申请状态不符", "The request is at another step already (refresh the list).", HttpStatus.CONFLICT),

  // ---- fever clinics (M3)
  UNKNOWN_HOSPITAL("没有这家医院", "The hospital is not known. Choose it from the list.", HttpStatus.BAD_REQUEST),
  HOSPITAL_EXISTS("医院已存在", "A hospital with this code already exists.", HttpStatus.CONFLICT),
  VISIT_NOT_FOUND("没有这次就诊", "No such fever-clinic visit.", HttpStatus.NOT_FOUND),
  INVALID_RESULT("结果无效", "A result is NEGATIVE or POSITIVE.", HttpStatus.BAD_REQUEST),
  // designation of fever-clinic hospitals (ADR 0035): reporting refused (403), account or undesignation refused (409)
  HOSPITAL_NOT_FOUND("没有这家医院", "No hospital with this code.", HttpStatus.NOT_FOUND),
  HOSPITAL_NOT_DESIGNATED("该医院已不是发热门诊定点医院", "This hospital is no longer a designated fever clinic: it reports no new visits and gets no new accounts.",
      HttpStatus.FORBIDDEN, HttpStatus.CONFLICT),
  HOSPITAL_DESIGNATED("该医院已是定点医院", "This hospital is designated already.", HttpStatus.CONFLICT);

  private final String zh;
  private final String en;
  private final List<HttpStatus> statuses;

  ProblemCode(String zh, String en, HttpStatus status, HttpStatus... more) {
    this.zh = zh;
    this.en = en;
    this.statuses = java.util.stream.Stream.concat(java.util.stream.Stream.of(status), java.util.Arrays.stream(more)).toList();
  }

  /** The plain Chinese words for a person. */
  public String zh() {
    return zh;
  }

  /** The plain English words for a person. */
  public String en() {
    return en;
  }

  /** The status the code is answered with (a code used in two places may have two). */
  public List<HttpStatus> statuses() {
    return statuses;
  }
}
