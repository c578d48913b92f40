package org.epiloop.simulator.data;

import java.util.random.RandomGenerator;

/** Random Chinese personal names of 2 or 3 characters: a common surname and one or two given-name characters. */
public final class ChineseNames {

  private static final String SURNAMES =
      "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
  private static final String GIVEN =
      "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国文辉玉兰志红梅鹏飞宇浩然子涵欣怡雨晨思远博文嘉俊晓燕海峰丹凤云龙春秋德安宁家瑞"
          + "佳琪梓萱一诺诗雅婷慧颖立新永福寿康乐天佑晨阳光荣耀庆丰";

  private ChineseNames() {}

  public static String next(RandomGenerator random) {
    StringBuilder b = new StringBuilder(3);
    b.append(SURNAMES.charAt(random.nextInt(SURNAMES.length())));
    int given = random.nextInt(3) == 0 ? 1 : 2; // about one in three names has 2 characters
    for (int i = 0; i < given; i++) {
      b.append(GIVEN.charAt(random.nextInt(GIVEN.length())));
    }
    return b.toString();
  }
}
