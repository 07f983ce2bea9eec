/* Compiled-in name and place tables for the Spanish-speaking Andes and Colombia and for the
 * Arabic-speaking Levant and Iraq, and the places of every scenario. Arabic names carry their
 * common romanizations ('/'-separated); Spanish names are written with their accents. */
#include "synth_int.h"

#define T(arr) {arr, RK_ARRAY_LEN(arr)}

static const synth_name es_male[] = {
    {"José", 0, 0},     {"Juan", 0, 0},     {"Luis", 0, 0},      {"Carlos", 0, 0},
    {"Jorge", 0, 0},    {"Manuel", 0, 0},   {"Pedro", 0, 0},     {"Miguel", 0, 0},
    {"Jesús", 0, 0},    {"Francisco", 0, 0}, {"Antonio", 0, 0},  {"Víctor", 0, 0},
    {"Julio", 0, 0},    {"César", 0, 0},    {"Raúl", 0, 0},      {"Alberto", 0, 0},
    {"Fernando", 0, 0}, {"Ricardo", 0, 0},  {"Eduardo", 0, 0},   {"Óscar", 0, 0},
    {"Javier", 0, 0},   {"Mario", 0, 0},    {"Walter", 0, 0},    {"Edwin", 0, 0},
    {"Wilber", 0, 0},   {"Hugo", 0, 0},     {"Rubén", 0, 0},     {"Félix", 0, 0},
    {"Teodoro", 0, 0},  {"Máximo", 0, 0},   {"Fortunato", 0, 0}, {"Saturnino", 0, 0},
    {"Celestino", 0, 0}, {"Andrés", 0, 0},  {"Alejandro", 0, 0}, {"Rafael", 0, 0},
    {"Ángel", 0, 0},    {"Roberto", 0, 0},  {"Sergio", 0, 0},    {"Héctor", 0, 0},
    {"Germán", 0, 0},   {"Gregorio", 0, 0}, {"Hilario", 0, 0},   {"Marcelino", 0, 0},
    {"Nicolás", 0, 0},  {"Santiago", 0, 0}, {"Tomás", 0, 0},     {"Vicente", 0, 0},
    {"Ernesto", 0, 0},  {"Gilberto", 0, 0}, {"Wilfredo", 0, 0},  {"Alfredo", 0, 0},
    {"Armando", 0, 0},  {"Benito", 0, 0},   {"Cirilo", 0, 0},    {"Damián", 0, 0},
    {"Elías", 0, 0},    {"Efraín", 0, 0},   {"Fidel", 0, 0},     {"Gabriel", 0, 0},
    {"Jhon", 0, 0},     {"Yovani", 0, 0},   {"Arcángel", 0, 0},  {"Abelardo", 0, 0},
};

static const synth_name es_female[] = {
    {"María", 0, 0},    {"Rosa", 0, 0},      {"Juana", 0, 0},     {"Ana", 0, 0},
    {"Carmen", 0, 0},   {"Julia", 0, 0},     {"Luz", 0, 0},       {"Gloria", 0, 0},
    {"Martha", 0, 0},   {"Elena", 0, 0},     {"Isabel", 0, 0},    {"Teresa", 0, 0},
    {"Lucía", 0, 0},    {"Sonia", 0, 0},     {"Norma", 0, 0},     {"Yolanda", 0, 0},
    {"Gladys", 0, 0},   {"Silvia", 0, 0},    {"Patricia", 0, 0},  {"Flor", 0, 0},
    {"Margarita", 0, 0}, {"Victoria", 0, 0}, {"Marcelina", 0, 0}, {"Felícita", 0, 0},
    {"Justina", 0, 0},  {"Eusebia", 0, 0},   {"Dionisia", 0, 0},  {"Alejandrina", 0, 0},
    {"Celia", 0, 0},    {"Dora", 0, 0},      {"Esperanza", 0, 0}, {"Beatriz", 0, 0},
    {"Inés", 0, 0},     {"Pilar", 0, 0},     {"Mercedes", 0, 0},  {"Dolores", 0, 0},
    {"Consuelo", 0, 0}, {"Sofía", 0, 0},     {"Angélica", 0, 0},  {"Raquel", 0, 0},
    {"Nelly", 0, 0},    {"Zenaida", 0, 0},   {"Hermelinda", 0, 0}, {"Primitiva", 0, 0},
};

/* Particles stay with the surname: "de la Cruz". */
static const synth_name es_family[] = {
    {"Quispe", 0, 0},    {"Huamán", 0, 0},    {"Mamani", 0, 0},    {"Condori", 0, 0},
    {"Flores", 0, 0},    {"García", 0, 0},    {"Rodríguez", 0, 0}, {"López", 0, 0},
    {"Sánchez", 0, 0},   {"Ramírez", 0, 0},   {"Torres", 0, 0},    {"Díaz", 0, 0},
    {"Vargas", 0, 0},    {"Castillo", 0, 0},  {"Rojas", 0, 0},     {"Mendoza", 0, 0},
    {"Gutiérrez", 0, 0}, {"Chávez", 0, 0},    {"Ramos", 0, 0},     {"Pérez", 0, 0},
    {"Gómez", 0, 0},     {"Fernández", 0, 0}, {"Martínez", 0, 0},  {"Hernández", 0, 0},
    {"González", 0, 0},  {"Cruz", 0, 0},      {"Morales", 0, 0},   {"Ortiz", 0, 0},
    {"Reyes", 0, 0},     {"Jiménez", 0, 0},   {"Ruiz", 0, 0},      {"Álvarez", 0, 0},
    {"Romero", 0, 0},    {"Herrera", 0, 0},   {"Medina", 0, 0},    {"Castro", 0, 0},
    {"Vásquez", 0, 0},   {"Silva", 0, 0},     {"Salazar", 0, 0},   {"Espinoza", 0, 0},
    {"Córdova", 0, 0},   {"Cárdenas", 0, 0},  {"Paredes", 0, 0},   {"Palomino", 0, 0},
    {"Ccahuana", 0, 0},  {"Huillca", 0, 0},   {"Yupanqui", 0, 0},  {"Ayala", 0, 0},
    {"Cusi", 0, 0},      {"Huanca", 0, 0},    {"Ticona", 0, 0},    {"Choque", 0, 0},
    {"Apaza", 0, 0},     {"Coaquira", 0, 0},  {"Sulca", 0, 0},     {"Yucra", 0, 0},
    {"Pariona", 0, 0},   {"Tito", 0, 0},      {"Poma", 0, 0},      {"Huarcaya", 0, 0},
    {"Llamocca", 0, 0},  {"Ñaupari", 0, 0},   {"Muñoz", 0, 0},     {"Núñez", 0, 0},
    {"Peña", 0, 0},      {"Zúñiga", 0, 0},    {"Acuña", 0, 0},     {"Ibáñez", 0, 0},
    {"Benítez", 0, 0},   {"Márquez", 0, 0},   {"Domínguez", 0, 0}, {"Guzmán", 0, 0},
    {"Valencia", 0, 0},  {"Cardona", 0, 0},   {"Osorio", 0, 0},    {"Restrepo", 0, 0},
    {"Montoya", 0, 0},   {"Zapata", 0, 0},    {"Giraldo", 0, 0},   {"Ospina", 0, 0},
    {"Arango", 0, 0},    {"Henao", 0, 0},     {"Quintero", 0, 0},  {"Cifuentes", 0, 0},
    {"Bedoya", 0, 0},    {"Agudelo", 0, 0},   {"Londoño", 0, 0},   {"Echeverri", 0, 0},
    {"de la Cruz", 0, 0}, {"del Castillo", 0, 0}, {"de la Torre", 0, 0}, {"Villa", 0, 0},
    {"Mejía", 0, 0},     {"Castaño", 0, 0},   {"Rincón", 0, 0},    {"Pineda", 0, 0},
    {"Galeano", 0, 0},   {"Tupa", 0, 0},      {"Auccatoma", 0, 0}, {"Ccoyllo", 0, 0},
};

static const synth_name ar_male[] = {
    {"محمد", "Muhammad/Mohammed/Mohamed/Mohammad", 0}, {"أحمد", "Ahmad/Ahmed", 0},
    {"علي", "Ali/Aly", 0},                   {"حسن", "Hasan/Hassan", 0},
    {"حسين", "Husayn/Hussein/Hussain", 0},   {"عمر", "Umar/Omar", 0},
    {"خالد", "Khalid/Khaled", 0},            {"يوسف", "Yusuf/Youssef/Yousef", 0},
    {"إبراهيم", "Ibrahim/Ebrahim", 0},       {"عبد الله", "Abdullah/Abdallah/Abd Allah", 0},
    {"عبد الرحمن", "Abd al-Rahman/Abdulrahman/Abdelrahman", 0},
    {"محمود", "Mahmud/Mahmoud", 0},          {"مصطفى", "Mustafa/Mostafa", 0},
    {"سعيد", "Said/Saeed", 0},               {"كريم", "Karim/Kareem", 0},
    {"جمال", "Jamal/Gamal", 0},              {"طارق", "Tariq/Tarek", 0},
    {"سامي", "Sami/Samy", 0},                {"ناصر", "Nasir/Nasser", 0},
    {"فيصل", "Faysal/Faisal", 0},            {"وليد", "Walid/Waleed", 0},
    {"ماجد", "Majid/Majed", 0},              {"عادل", "Adil/Adel", 0},
    {"رامي", "Rami/Ramy", 0},                {"زياد", "Ziyad/Ziad", 0},
    {"باسل", "Basil/Basel", 0},              {"عماد", "Imad/Emad", 0},
    {"هشام", "Hisham/Hesham", 0},            {"سليمان", "Sulayman/Suleiman", 0},
    {"إسماعيل", "Ismail/Ismael", 0},         {"صالح", "Salih/Saleh", 0},
    {"منصور", "Mansur/Mansour", 0},          {"جعفر", "Jafar/Jaafar", 0},
    {"حمزة", "Hamza/Hamzah", 0},             {"بلال", "Bilal/Belal", 0},
    {"أنس", "Anas", 0},                      {"مراد", "Murad/Mourad", 0},
    {"نبيل", "Nabil/Nabeel", 0},             {"فارس", "Faris/Fares", 0},
    {"قاسم", "Qasim/Kassem/Qassem", 0},      {"عثمان", "Uthman/Othman/Osman", 0},
    {"موسى", "Musa/Moussa", 0},              {"عيسى", "Isa/Issa", 0},
    {"ياسر", "Yasir/Yasser", 0},             {"رشيد", "Rashid/Rachid", 0},
    {"حامد", "Hamid/Hamed", 0},              {"أيمن", "Ayman/Aiman", 0},
    {"شريف", "Sharif/Sherif", 0},            {"عبد العزيز", "Abd al-Aziz/Abdulaziz/Abdelaziz", 0},
    {"عبد الكريم", "Abd al-Karim/Abdulkarim/Abdelkarim", 0},
    {"حسام", "Husam/Hussam/Hosam", 0},       {"غسان", "Ghassan", 0},
    {"مازن", "Mazin/Mazen", 0},              {"نزار", "Nizar/Nezar", 0},
};

static const synth_name ar_female[] = {
    {"فاطمة", "Fatima/Fatma/Fatimah", 0}, {"عائشة", "Aisha/Aysha/Aicha", 0},
    {"زينب", "Zaynab/Zainab/Zeinab", 0},  {"مريم", "Maryam/Mariam", 0},
    {"خديجة", "Khadija/Khadijah", 0},     {"نور", "Nur/Noor/Nour", 0},
    {"ليلى", "Layla/Leila/Laila", 0},     {"سارة", "Sara/Sarah", 0},
    {"هدى", "Huda/Hoda", 0},              {"أمينة", "Amina/Aminah", 0},
    {"سلمى", "Salma/Salmah", 0},          {"رنا", "Rana", 0},
    {"هبة", "Hiba/Heba", 0},              {"دعاء", "Duaa/Doaa", 0},
    {"رقية", "Ruqayya/Roqaya", 0},        {"آمنة", "Amna/Aamna", 0},
    {"سعاد", "Suad/Souad", 0},            {"نادية", "Nadia/Nadiya", 0},
    {"جميلة", "Jamila/Jamilah", 0},       {"حليمة", "Halima/Halimah", 0},
    {"سميرة", "Samira/Samirah", 0},       {"وفاء", "Wafa/Wafaa", 0},
    {"إيمان", "Iman/Eman", 0},            {"أسماء", "Asma/Asmaa", 0},
    {"رحاب", "Rihab/Rehab", 0},           {"منى", "Muna/Mona", 0},
};

static const synth_name ar_family[] = {
    {"الأحمد", "al-Ahmad/Al Ahmad/Alahmad", 0},   {"الحسن", "al-Hasan/Al Hassan/Elhassan", 0},
    {"العلي", "al-Ali/Al Ali/Alali", 0},          {"الخطيب", "al-Khatib/Al Khatib/El Khatib", 0},
    {"الحلبي", "al-Halabi/Al Halabi/Elhalabi", 0}, {"المصري", "al-Masri/Al Masri/El Masry", 0},
    {"الشامي", "al-Shami/Al Shami/Ashami", 0},    {"الحمصي", "al-Homsi/Al Homsi/Alhomsi", 0},
    {"الزعبي", "al-Zoubi/Al Zoubi/Alzoubi", 0},   {"العمر", "al-Omar/Al Omar/Alomar", 0},
    {"الخليل", "al-Khalil/Al Khalil", 0},         {"الجاسم", "al-Jasim/Al Jassem/Aljasem", 0},
    {"الحسين", "al-Husayn/Al Hussein", 0},        {"الصالح", "al-Salih/Al Saleh/Assaleh", 0},
    {"النجار", "al-Najjar/Al Najjar/Elnaggar", 0}, {"الحداد", "al-Haddad/Haddad", 0},
    {"الكردي", "al-Kurdi/Al Kurdi", 0},           {"التركماني", "al-Turkmani/Al Turkmani", 0},
    {"الدوري", "al-Douri/Al Duri", 0},            {"العبيدي", "al-Obeidi/Al Ubaidi", 0},
    {"الجبوري", "al-Jubouri/Al Jabouri", 0},      {"الدليمي", "al-Dulaimi/Al Dulaimi", 0},
    {"التميمي", "al-Tamimi/Al Tamimi", 0},        {"الشمري", "al-Shammari/Al Shammari", 0},
    {"السعدي", "al-Saadi/Al Saadi", 0},           {"القاسم", "al-Qasim/Al Kassem", 0},
    {"المحمد", "al-Muhammad/Al Mohammad", 0},     {"الرفاعي", "al-Rifai/Al Refai", 0},
    {"البكري", "al-Bakri/Al Bakri", 0},           {"الحمدان", "al-Hamdan/Al Hamdan", 0},
    {"العيسى", "al-Issa/Al Eissa", 0},            {"السيد", "al-Sayyid/Al Sayed/El Sayed", 0},
    {"العثمان", "al-Othman/Al Osman", 0},         {"النعيمي", "al-Nuaimi/Al Naimi", 0},
    {"حمود", "Hammoud/Hamoud", 0},                {"نصر", "Nasr/Nassr", 0},
    {"سلامة", "Salama/Salameh", 0},               {"عواد", "Awad/Awwad", 0},
    {"درويش", "Darwish/Darwiche", 0},             {"الخضر", "al-Khidr/Al Khoder", 0},
    {"البيطار", "al-Bitar/Al Bittar", 0},         {"الطويل", "al-Tawil/Al Taweel", 0},
};

const synth_table synth_es_male = T(es_male), synth_es_female = T(es_female),
                  synth_es_family = T(es_family);
const synth_table synth_ar_male = T(ar_male), synth_ar_female = T(ar_female),
                  synth_ar_family = T(ar_family);

/* {local, Latin/English, region, region in Latin}. Caucasus: Azerbaijani Latin local forms. */
static const synth_place caucasus[] = {
    {"Bakı", "Baku", "Abşeron", "Absheron"},         {"Sumqayıt", "Sumgait", "Abşeron", "Absheron"},
    {"Gəncə", "Ganja", "Gəncə-Qazax", "Ganja-Gazakh"}, {"Qazax", "Gazakh", "Gəncə-Qazax", "Ganja-Gazakh"},
    {"Şəki", "Sheki", "Şəki-Zaqatala", "Sheki-Zagatala"}, {"Zaqatala", "Zagatala", "Şəki-Zaqatala", "Sheki-Zagatala"},
    {"Lənkəran", "Lankaran", "Lənkəran", "Lankaran"},  {"Masallı", "Masally", "Lənkəran", "Lankaran"},
    {"Şamaxı", "Shamakhi", "Dağlıq Şirvan", "Mountainous Shirvan"},
    {"Yerevan", "Yerevan", "Yerevan", "Yerevan"},      {"Gyumri", "Gyumri", "Şirak", "Shirak"},
    {"Vanadzor", "Vanadzor", "Lori", "Lori"},           {"İcevan", "Ijevan", "Tavuş", "Tavush"},
    {"Qafan", "Kapan", "Syunik", "Syunik"},             {"Gorus", "Goris", "Syunik", "Syunik"},
    {"Tbilisi", "Tbilisi", "Tbilisi", "Tbilisi"},       {"Marneuli", "Marneuli", "Kvemo Kartli", "Kvemo Kartli"},
};

static const synth_place spanish[] = {
    {"Ayacucho", "Ayacucho", "Ayacucho", "Ayacucho"},  {"Huanta", "Huanta", "Ayacucho", "Ayacucho"},
    {"La Mar", "La Mar", "Ayacucho", "Ayacucho"},      {"Cangallo", "Cangallo", "Ayacucho", "Ayacucho"},
    {"Vilcashuamán", "Vilcashuaman", "Ayacucho", "Ayacucho"},
    {"Huancavelica", "Huancavelica", "Huancavelica", "Huancavelica"},
    {"Andahuaylas", "Andahuaylas", "Apurímac", "Apurimac"}, {"Abancay", "Abancay", "Apurímac", "Apurimac"},
    {"Huancayo", "Huancayo", "Junín", "Junin"},        {"Satipo", "Satipo", "Junín", "Junin"},
    {"Apartadó", "Apartado", "Antioquia", "Antioquia"}, {"San Carlos", "San Carlos", "Antioquia", "Antioquia"},
    {"Granada", "Granada", "Antioquia", "Antioquia"},  {"El Carmen de Bolívar", "El Carmen de Bolivar", "Bolívar", "Bolivar"},
    {"Tierralta", "Tierralta", "Córdoba", "Cordoba"},  {"Bojayá", "Bojaya", "Chocó", "Choco"},
};

static const synth_place arabic[] = {
    {"حلب", "Aleppo", "حلب", "Aleppo"},       {"منبج", "Manbij", "حلب", "Aleppo"},
    {"حمص", "Homs", "حمص", "Homs"},           {"تلبيسة", "Talbiseh", "حمص", "Homs"},
    {"حماة", "Hama", "حماة", "Hama"},         {"دمشق", "Damascus", "دمشق", "Damascus"},
    {"دوما", "Douma", "ريف دمشق", "Rif Dimashq"}, {"داريا", "Daraya", "ريف دمشق", "Rif Dimashq"},
    {"درعا", "Daraa", "درعا", "Daraa"},       {"إدلب", "Idlib", "إدلب", "Idlib"},
    {"الرقة", "Raqqa", "الرقة", "Raqqa"},     {"دير الزور", "Deir ez-Zor", "دير الزور", "Deir ez-Zor"},
    {"الموصل", "Mosul", "نينوى", "Nineveh"},  {"تلعفر", "Tal Afar", "نينوى", "Nineveh"},
    {"الفلوجة", "Fallujah", "الأنبار", "Anbar"}, {"بغداد", "Baghdad", "بغداد", "Baghdad"},
};

const synth_places synth_places_caucasus = T(caucasus);
const synth_places synth_places_spanish = T(spanish);
const synth_places synth_places_arabic = T(arabic);
