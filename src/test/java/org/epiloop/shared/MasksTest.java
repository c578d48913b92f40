package org.epiloop.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MasksTest {

  @Test
  void namesKeepFirstAndLastCharacter() {
    assertThat(Masks.name("张三丰")).isEqualTo("张*丰");
    assertThat(Masks.name("张三")).isEqualTo("张*");
    assertThat(Masks.name("欧阳小明")).isEqualTo("欧**明");
    assertThat(Masks.name("王")).isEqualTo("*");
    assertThat(Masks.name("𠀀𠀁𠀂")).isEqualTo("𠀀*𠀂"); // characters outside the BMP count once
  }

  @Test
  void idNumbersKeepFourAtEachEnd() {
    assertThat(Masks.idNumber("32010219900307123X")).isEqualTo("3201**********123X");
    assertThat(Masks.idNumber("E12345678")).isEqualTo("E1*****78");
    assertThat(Masks.idNumber("E12345")).isEqualTo("E****5");
    assertThat(Masks.idNumber("1234")).isEqualTo("****");
  }

  @Test
  void phonesKeepThreeAndFour() {
    assertThat(Masks.phone("13812345678")).isEqualTo("138****5678");
    assertThat(Masks.phone("123")).isEqualTo("***");
  }
}
